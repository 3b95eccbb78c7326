package io.meshpilot.schemas;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The audit record of one decision for one Service: inputs and outcome per region, with reasons. */
public record Decision(
        String namespace,
        String service,
        Instant decidedAt,
        String policyScope,
        PolicyMode mode,
        boolean globalOutage,
        List<RegionDecision> regions) implements MeshRecord {

    public Decision {
        regions = List.copyOf(regions);
    }

    /** One region's part of a decision. {@code endpoints} and {@code observedAt} are null when nothing was heard. */
    public record RegionDecision(
            String region,
            EndpointCounts endpoints,
            Instant observedAt,
            String state,
            boolean stale,
            Map<String, String> annotations,
            String reason,
            long version) {

        public RegionDecision {
            annotations = Map.copyOf(annotations);
        }
    }
}
