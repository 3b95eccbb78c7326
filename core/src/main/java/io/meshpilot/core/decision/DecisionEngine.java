package io.meshpilot.core.decision;

import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.core.routing.Affinity;
import io.meshpilot.core.routing.CiliumServiceConfig;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Decides, per Service and region, whether traffic stays local or fails over (SPEC §5). A pure function: the same
 * inputs always give the same decision.
 */
public final class DecisionEngine {

    public ServiceDecision decide(Policy policy, Collection<RegionInput> regions) {
        List<RegionInput> ordered = regions.stream().sorted(Comparator.comparing(RegionInput::region)).toList();
        boolean anyHealthy = ordered.stream().anyMatch(region -> isHealthy(policy, region.endpoints()));
        List<RegionOutcome> outcomes = ordered.stream()
                .map(region -> outcome(policy, region, anyHealthy))
                .toList();
        return new ServiceDecision(outcomes, !anyHealthy);
    }

    private RegionOutcome outcome(Policy policy, RegionInput region, boolean anyHealthy) {
        if (isHealthy(policy, region.endpoints())) {
            return new RegionOutcome(region.region(), RegionState.HEALTHY,
                    CiliumServiceConfig.global(true, Affinity.LOCAL), Reason.LOCAL_HEALTHY);
        }
        if (anyHealthy) {
            return new RegionOutcome(region.region(), RegionState.DEGRADED,
                    CiliumServiceConfig.global(true, Affinity.REMOTE), Reason.LOCAL_DEGRADED);
        }
        return new RegionOutcome(region.region(), RegionState.DEGRADED,
                CiliumServiceConfig.global(true, Affinity.LOCAL), Reason.NO_HEALTHY_TARGET);
    }

    static boolean isHealthy(Policy policy, EndpointTally endpoints) {
        return endpoints.ready() >= policy.minReadyEndpoints() && endpoints.readyRatio() >= policy.minReadyRatio();
    }
}
