package io.meshpilot.agent.health;

import java.util.UUID;

/**
 * Text the API server sends for every object that is nearly always a decimal number (a resourceVersion: etcd's
 * revision) or a UUID (a uid), kept as two longs and given back exactly. Both are opaque to clients, so anything else
 * is kept as it came. A String of either costs 48 to 80 B; the agent keeps three per watched Service.
 */
record CompactText(long high, long low, String other) {

    private static final long DECIMAL = Long.MIN_VALUE;

    static CompactText of(String text) {
        if (text == null) {
            return null;
        }
        if (isCanonicalDecimal(text)) {
            return new CompactText(DECIMAL, Long.parseLong(text), null);
        }
        if (text.length() == 36) {
            try {
                UUID uuid = UUID.fromString(text);
                if (uuid.getMostSignificantBits() != DECIMAL && uuid.toString().equals(text)) {
                    return new CompactText(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits(), null);
                }
            } catch (IllegalArgumentException e) {
                // not a UUID: kept as text
            }
        }
        return new CompactText(0, 0, text);
    }

    String text() {
        if (other != null) {
            return other;
        }
        return high == DECIMAL ? Long.toString(low) : new UUID(high, low).toString();
    }

    /** Digits only, no leading zero (but "0"), within a long: what {@link Long#toString} gives back unchanged. */
    private static boolean isCanonicalDecimal(String text) {
        int length = text.length();
        if (length == 0 || length > 18 || text.charAt(0) == '0' && length > 1) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
