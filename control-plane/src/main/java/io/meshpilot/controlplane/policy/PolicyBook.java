package io.meshpilot.controlplane.policy;

import io.meshpilot.core.decision.Mode;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The accepted policies by scope, and which applies to a Service: {@code <namespace>/<service>} over
 * {@code <namespace>/*} over {@code *}, else the defaults. A rejected record leaves the last accepted one in force. A
 * pin whose {@code expiresAt} has passed stays accepted but is no longer in force: its scope falls back to the next
 * policy down ({@link PinExpiry} keeps the timers).
 * Confined to the event loop.
 */
public final class PolicyBook {

    public static final String EVERYTHING = "*";

    /** Told of every accepted and deleted policy, to keep the pins' expiry timers ({@link PinExpiry}). */
    public interface PinListener {

        PinListener NONE = new PinListener() {
            @Override
            public void accepted(String scope, Optional<Instant> expiresAt) {
            }

            @Override
            public void deleted(String scope) {
            }
        };

        void accepted(String scope, Optional<Instant> expiresAt);

        void deleted(String scope);
    }

    private final Map<String, Policy> byScope = new HashMap<>();
    private final Map<String, Instant> expiries = new HashMap<>();
    private final Set<String> expired = new HashSet<>();
    private PinListener pins = PinListener.NONE;

    public void pins(PinListener listener) {
        this.pins = listener;
    }

    public void accept(String scope, Policy policy) {
        accept(scope, policy, Optional.empty());
    }

    /** A policy accepted; a pin with {@code expiresAt} is in force until then. */
    public void accept(String scope, Policy policy, Optional<Instant> expiresAt) {
        byScope.put(scope, policy);
        expired.remove(scope);
        expiresAt.ifPresentOrElse(at -> expiries.put(scope, at), () -> expiries.remove(scope));
        pins.accepted(scope, expiresAt);
    }

    /** A tombstone: the scope falls back to the next less specific policy. */
    public void delete(String scope) {
        byScope.remove(scope);
        expiries.remove(scope);
        expired.remove(scope);
        pins.deleted(scope);
    }

    /** The scope's pin has expired: it stays accepted, but the scope falls back to the next less specific policy. */
    void expire(String scope) {
        if (byScope.containsKey(scope)) {
            expired.add(scope);
        }
    }

    /** The policy in force for a scope: none if deleted, never written, or an expired pin. */
    public Optional<Policy> byScope(String scope) {
        return Optional.ofNullable(inForce(scope));
    }

    public Optional<Instant> expiresAt(String scope) {
        return Optional.ofNullable(expiries.get(scope));
    }

    public boolean isExpired(String scope) {
        return expired.contains(scope);
    }

    /** How many policies in force pin their Services (a mode other than auto), and how many of those expire. */
    public Pins pinsInForce() {
        int pinned = 0;
        int expiring = 0;
        for (Map.Entry<String, Policy> entry : byScope.entrySet()) {
            if (entry.getValue().mode() != Mode.AUTO && !expired.contains(entry.getKey())) {
                pinned++;
                expiring += expiries.containsKey(entry.getKey()) ? 1 : 0;
            }
        }
        return new Pins(pinned, expiring);
    }

    /** Pins in force: all of them, and those with an {@code expiresAt}. */
    public record Pins(int all, int expiring) {
    }

    public Policy resolve(ServiceKey service) {
        Policy exact = inForce(service.namespace() + "/" + service.name());
        if (exact != null) {
            return exact;
        }
        Policy namespace = inForce(service.namespace() + "/*");
        if (namespace != null) {
            return namespace;
        }
        Policy everything = inForce(EVERYTHING);
        return everything != null ? everything : Policy.DEFAULT;
    }

    private Policy inForce(String scope) {
        return expired.contains(scope) ? null : byScope.get(scope);
    }

    /** Whether a policy of this scope could apply to the Service. */
    public static boolean covers(String scope, ServiceKey service) {
        return scope.equals(EVERYTHING) || scope.equals(service.namespace() + "/*")
                || scope.equals(service.namespace() + "/" + service.name());
    }

    /** Every staleAfter in force (the default's included), for the regions' liveness timers. */
    public Set<Duration> staleAfters() {
        Set<Duration> all = byScope.entrySet().stream().filter(entry -> !expired.contains(entry.getKey()))
                .map(entry -> entry.getValue().staleAfter()).collect(Collectors.toCollection(TreeSet::new));
        all.add(Policy.DEFAULT.staleAfter());
        return all;
    }
}
