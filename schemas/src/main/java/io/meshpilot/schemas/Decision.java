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
        List<RegionDecision> regions,
        Incident incident) implements MeshRecord {

    public Decision {
        regions = List.copyOf(regions);
    }

    /** A decision record with no incident report. */
    public Decision(String namespace, String service, Instant decidedAt, String policyScope, PolicyMode mode,
            boolean globalOutage, List<RegionDecision> regions) {
        this(namespace, service, decidedAt, policyScope, mode, globalOutage, regions, null);
    }

    /**
     * A failover or failback of one region, reported once every region it sent a directive to applied it (an
     * optional field added within v1, docs/operations.md): when that region's agent saw the health change
     * ({@code detectedAt}, the health record's {@code observedAt}), when the directives were committed
     * ({@code decidedAt}) and when each region's agent applied them (its {@code DirectiveStatus}).
     */
    public record Incident(
            String region,
            String kind,
            long version,
            Instant detectedAt,
            Instant decidedAt,
            List<RegionApplied> applied) {

        public Incident {
            applied = List.copyOf(applied);
        }
    }

    /** When a region's agent reported a directive of the incident's version (or newer) applied. */
    public record RegionApplied(String region, Instant appliedAt) {
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
