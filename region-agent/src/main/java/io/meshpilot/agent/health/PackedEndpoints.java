package io.meshpilot.agent.health;

import io.meshpilot.core.health.Endpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * A slice's endpoints as one {@code long} each: the conditions in the low 6 bits (each of ready, serving and
 * terminating absent, false or true), a 58-bit hash of the endpoint's identity (its pod) above. The inventory keeps
 * every endpoint of every watched Service, and as objects (an {@link Endpoint}, its identity string, a list) each
 * cost about 100 bytes; packed, 8. The identity is only ever compared (the same pod in two slices counts once), so
 * its hash stands for it: two pods of one Service share a hash with odds of about n^2 / 2^59.
 */
final class PackedEndpoints {

    private static final int CONDITION_BITS = 6;
    private static final long[] NONE = new long[0];

    private PackedEndpoints() {
    }

    static long[] pack(List<Endpoint> endpoints) {
        if (endpoints.isEmpty()) {
            return NONE;
        }
        long[] packed = new long[endpoints.size()];
        for (int i = 0; i < packed.length; i++) {
            Endpoint endpoint = endpoints.get(i);
            packed[i] = hash(endpoint.identity()) << CONDITION_BITS | condition(endpoint.ready())
                    | condition(endpoint.serving()) << 2 | condition(endpoint.terminating()) << 4;
        }
        return packed;
    }

    /** The endpoints again, each identity standing as its hash. */
    static void unpack(long[] packed, List<Endpoint> into) {
        for (long endpoint : packed) {
            into.add(new Endpoint(Long.toHexString(endpoint >>> CONDITION_BITS), condition(endpoint),
                    condition(endpoint >>> 2), condition(endpoint >>> 4)));
        }
    }

    static List<Endpoint> unpack(long[] packed) {
        List<Endpoint> endpoints = new ArrayList<>(packed.length);
        unpack(packed, endpoints);
        return endpoints;
    }

    private static long condition(Boolean value) {
        return value == null ? 0 : value ? 2 : 1;
    }

    private static Boolean condition(long bits) {
        int value = (int) (bits & 3);
        return value == 0 ? null : value == 2;
    }

    /** FNV-1a over the characters, then MurmurHash3's finalizer, to 58 bits. */
    static long hash(String identity) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < identity.length(); i++) {
            hash ^= identity.charAt(i);
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb93fe1a85ec5L;
        hash ^= hash >>> 33;
        return hash >>> CONDITION_BITS;
    }
}
