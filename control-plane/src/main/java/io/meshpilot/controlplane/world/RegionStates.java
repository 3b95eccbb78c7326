package io.meshpilot.controlplane.world;

import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.Reason;
import java.time.Instant;

/**
 * The state a Service is in, in a region, as every replica can tell from the topics: the state the directive in
 * force names (or, from releases that did not name it, its reason) says it ({@code healthy}, {@code degraded}, {@code drained}, {@code unmanaged}); {@code stale} when the region's
 * agent is silent; {@code pending} before any directive.
 */
public final class RegionStates {

    public static final String[] ALL = {"healthy", "degraded", "drained", "stale", "pending", "unmanaged"};

    private RegionStates() {
    }

    public static String of(RegionRecords records, boolean stale) {
        if (stale) {
            return "stale";
        }
        if (records.directive() == null) {
            return "pending";
        }
        if (records.directive().state() != null) {
            return records.directive().reason().equals(Reason.UNMANAGED_BY_POLICY.wireName()) ? "unmanaged"
                    : records.directive().state();
        }
        return switch (Reason.fromWire(records.directive().reason()).orElse(Reason.LOCAL_HEALTHY)) {
            case FAILOVER_PENDING, CONFIRMING_MASS_DEGRADATION, LOCAL_DEGRADED, NO_HEALTHY_TARGET, INSUFFICIENT_CAPACITY, LAST_RESORT_EXPORT,
                    BLOCKED_BY_SAFETY_RULE ->
                    "degraded";
            case DRAINED, DRAIN_OVERRIDDEN -> "drained";
            case REGION_STALE -> "stale";
            case UNMANAGED_BY_POLICY -> "unmanaged";
            case FAILBACK_PENDING, LOCAL_HEALTHY, PINNED_BY_POLICY -> "healthy";
        };
    }

    public static boolean stale(RegionLiveness liveness, String region, Policy policy, Instant now) {
        return liveness.lastHeard(region).map(heard -> heard.plus(policy.staleAfter()).isBefore(now)).orElse(true);
    }
}
