package io.meshpilot.core.whatif;

import io.meshpilot.core.decision.Reason;
import io.meshpilot.core.decision.RegionState;
import java.util.Map;

/**
 * One region of a Service once the engine's decisions have played out: the owned annotations in force, the reason
 * and state of the last decision, and the backends its clients reach per the Cilium routing model, by cluster.
 */
public record RegionSide(Map<String, String> annotations, RegionState state, Reason reason,
        Map<String, Integer> routes) {

    public RegionSide {
        annotations = Map.copyOf(annotations);
        routes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(routes));
    }

    /** Whether the region's clients reach no backend. */
    public boolean blackholed() {
        return routes.isEmpty();
    }
}
