package io.meshpilot.schemas;

import java.time.Instant;
import java.util.List;

/**
 * A policy as an operator wrote it. Every field but the kind is optional: {@code null} means "take the default",
 * which the control plane resolves.
 */
public record TrafficPolicy(
        String scope,
        PolicyMode mode,
        Integer minReadyEndpoints,
        Double minReadyRatio,
        Integer failoverDelaySeconds,
        Integer failbackDelaySeconds,
        Integer staleAfterSeconds,
        List<String> failoverPriority,
        Integer maxFailoverRegions,
        List<String> drain,
        Integer capacityWindowSeconds,
        Double capacityFactor,
        Instant expiresAt,
        Integer minExportingRegions,
        Integer maxWithdrawnRegions,
        Double massDegradationShare,
        Integer massDegradationWithinSeconds,
        Integer massDegradationConfirmSeconds) implements MeshRecord {

    /** A policy with at most the safety rules, no confirmation window for mass degradation. */
    public TrafficPolicy(String scope, PolicyMode mode, Integer minReadyEndpoints, Double minReadyRatio,
            Integer failoverDelaySeconds, Integer failbackDelaySeconds, Integer staleAfterSeconds,
            List<String> failoverPriority, Integer maxFailoverRegions, List<String> drain,
            Integer capacityWindowSeconds, Double capacityFactor, Instant expiresAt, Integer minExportingRegions,
            Integer maxWithdrawnRegions) {
        this(scope, mode, minReadyEndpoints, minReadyRatio, failoverDelaySeconds, failbackDelaySeconds,
                staleAfterSeconds, failoverPriority, maxFailoverRegions, drain, capacityWindowSeconds, capacityFactor,
                expiresAt, minExportingRegions, maxWithdrawnRegions, null, null, null);
    }

    /** A policy with at most the minExportingRegions safety rule. */
    public TrafficPolicy(String scope, PolicyMode mode, Integer minReadyEndpoints, Double minReadyRatio,
            Integer failoverDelaySeconds, Integer failbackDelaySeconds, Integer staleAfterSeconds,
            List<String> failoverPriority, Integer maxFailoverRegions, List<String> drain,
            Integer capacityWindowSeconds, Double capacityFactor, Instant expiresAt, Integer minExportingRegions) {
        this(scope, mode, minReadyEndpoints, minReadyRatio, failoverDelaySeconds, failbackDelaySeconds,
                staleAfterSeconds, failoverPriority, maxFailoverRegions, drain, capacityWindowSeconds, capacityFactor,
                expiresAt, minExportingRegions, null);
    }

    /** A policy that does not expire. */
    public TrafficPolicy(String scope, PolicyMode mode, Integer minReadyEndpoints, Double minReadyRatio,
            Integer failoverDelaySeconds, Integer failbackDelaySeconds, Integer staleAfterSeconds,
            List<String> failoverPriority, Integer maxFailoverRegions, List<String> drain,
            Integer capacityWindowSeconds, Double capacityFactor) {
        this(scope, mode, minReadyEndpoints, minReadyRatio, failoverDelaySeconds, failbackDelaySeconds,
                staleAfterSeconds, failoverPriority, maxFailoverRegions, drain, capacityWindowSeconds, capacityFactor,
                null, null, null);
    }

    /** A policy that leaves the capacity settings at their defaults. */
    public TrafficPolicy(String scope, PolicyMode mode, Integer minReadyEndpoints, Double minReadyRatio,
            Integer failoverDelaySeconds, Integer failbackDelaySeconds, Integer staleAfterSeconds,
            List<String> failoverPriority, Integer maxFailoverRegions, List<String> drain) {
        this(scope, mode, minReadyEndpoints, minReadyRatio, failoverDelaySeconds, failbackDelaySeconds,
                staleAfterSeconds, failoverPriority, maxFailoverRegions, drain, null, null, null, null, null);
    }

    public TrafficPolicy {
        failoverPriority = failoverPriority == null ? null : List.copyOf(failoverPriority);
        drain = drain == null ? null : List.copyOf(drain);
    }
}
