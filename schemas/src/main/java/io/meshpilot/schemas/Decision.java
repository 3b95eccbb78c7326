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

    /**
     * One region's part of a decision. {@code endpoints} and {@code observedAt} are null when nothing was heard;
     * {@code safetyRule} names the policy field whose rule held the region's withdrawal back (reason
     * {@code blocked-by-safety-rule}), null otherwise (an optional field added within v1, docs/decisions.md).
     */
    public record RegionDecision(
            String region,
            EndpointCounts endpoints,
            Instant observedAt,
            String state,
            boolean stale,
            Map<String, String> annotations,
            String reason,
            long version,
            String safetyRule) {

        public RegionDecision {
            annotations = Map.copyOf(annotations);
        }

        /** A region no safety rule held back. */
        public RegionDecision(String region, EndpointCounts endpoints, Instant observedAt, String state, boolean stale,
                Map<String, String> annotations, String reason, long version) {
            this(region, endpoints, observedAt, state, stale, annotations, reason, version, null);
        }
    }
}
