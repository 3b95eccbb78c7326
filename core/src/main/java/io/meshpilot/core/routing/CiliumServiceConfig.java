package io.meshpilot.core.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ClusterMesh settings of one Service in one cluster, and their annotations ({@code service.cilium.io/global},
 * {@code shared} and {@code affinity}). Balanced affinity has no annotation: Cilium 1.18 dropped all traffic of a
 * Service annotated {@code affinity: none}, so meshpilot never writes it.
 */
public record CiliumServiceConfig(boolean global, boolean shared, Affinity affinity) {

    public static final String GLOBAL = "service.cilium.io/global";
    public static final String SHARED = "service.cilium.io/shared";
    public static final String AFFINITY = "service.cilium.io/affinity";
    /** The Cilium annotations meshpilot owns on a managed Service. */
    public static final Set<String> OWNED = Set.of(GLOBAL, SHARED, AFFINITY);

    /** Cilium's defaults for a Service without annotations: local only. */
    public static final CiliumServiceConfig LOCAL_ONLY = new CiliumServiceConfig(false, true, Affinity.BALANCED);

    public static CiliumServiceConfig global(boolean shared, Affinity affinity) {
        return new CiliumServiceConfig(true, shared, affinity);
    }

    /**
     * The owned annotations that express this config, an immutable map without order; an owned annotation not in the
     * map is to be removed.
     */
    public Map<String, String> annotations() {
        return ANNOTATIONS.get(index(global, shared, affinity));
    }

    // Twelve configs in all: their annotations are built once, as the engine asks for them on every decision.
    private static final List<Map<String, String>> ANNOTATIONS = allAnnotations();

    private static List<Map<String, String>> allAnnotations() {
        List<Map<String, String>> all = new ArrayList<>();
        for (boolean global : new boolean[] {false, true}) {
            for (boolean shared : new boolean[] {false, true}) {
                for (Affinity affinity : Affinity.values()) {
                    all.add(build(global, shared, affinity)); // at index(global, shared, affinity)
                }
            }
        }
        return List.copyOf(all);
    }

    private static int index(boolean global, boolean shared, Affinity affinity) {
        return ((global ? 2 : 0) + (shared ? 1 : 0)) * Affinity.values().length + affinity.ordinal();
    }

    private static Map<String, String> build(boolean global, boolean shared, Affinity affinity) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(GLOBAL, Boolean.toString(global));
        annotations.put(SHARED, Boolean.toString(shared));
        if (affinity != Affinity.BALANCED) {
            annotations.put(AFFINITY, affinity.name().toLowerCase(Locale.ROOT));
        }
        return Map.copyOf(annotations);
    }

    /**
     * Reads the config from a Service's annotations with Cilium's defaults (not global, shared, no affinity), or
     * empty when a value is one Cilium would not accept.
     */
    public static Optional<CiliumServiceConfig> fromAnnotations(Map<String, String> annotations) {
        Optional<Boolean> global = flag(annotations.get(GLOBAL), false);
        Optional<Boolean> shared = flag(annotations.get(SHARED), true);
        Optional<Affinity> affinity = affinity(annotations.get(AFFINITY));
        if (global.isEmpty() || shared.isEmpty() || affinity.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CiliumServiceConfig(global.get(), shared.get(), affinity.get()));
    }

    private static Optional<Boolean> flag(String value, boolean absent) {
        if (value == null) {
            return Optional.of(absent);
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    private static Optional<Affinity> affinity(String value) {
        if (value == null || value.equalsIgnoreCase("none")) {
            return Optional.of(Affinity.BALANCED);
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "local" -> Optional.of(Affinity.LOCAL);
            case "remote" -> Optional.of(Affinity.REMOTE);
            default -> Optional.empty();
        };
    }
}
