package io.meshpilot.schemas;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared instance of each set of desired annotations: a directive says one of a dozen combinations of global,
 * shared and affinity, and the control plane keeps the directive in force for every Service and region, so a copy
 * per directive read from the topics cost about 90 B per Service-region. At most {@link #LIMIT} sets are kept (a
 * bounded, never-freed table of small maps); past that, sets are copied as before.
 */
final class CanonicalAnnotations {

    static final int LIMIT = 1024;
    private static final Map<Map<String, String>, Map<String, String>> SHARED = new ConcurrentHashMap<>();

    private CanonicalAnnotations() {
    }

    static Map<String, String> of(Map<String, String> annotations) {
        Map<String, String> shared = SHARED.get(annotations);
        if (shared != null) {
            return shared;
        }
        Map<String, String> copy = Map.copyOf(annotations);
        if (SHARED.size() < LIMIT) {
            Map<String, String> raced = SHARED.putIfAbsent(copy, copy);
            return raced == null ? copy : raced;
        }
        return copy;
    }
}
