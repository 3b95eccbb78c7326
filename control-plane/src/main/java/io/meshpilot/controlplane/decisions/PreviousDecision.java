package io.meshpilot.controlplane.decisions;

import io.meshpilot.controlplane.world.RegionRecords;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.Reason;
import io.meshpilot.core.decision.RegionOutcome;
import io.meshpilot.core.decision.RegionState;
import io.meshpilot.core.decision.ServiceDecision;
import io.meshpilot.core.routing.Affinity;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.schemas.ServiceDirective;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The previous decision of a Service this replica has just taken over (or decides for the first time since it
 * started), rebuilt from the directives in force: each carries its reason, and was decided when its region entered
 * that state, so failover and failback delays carry on where the previous owner left them.
 */
final class PreviousDecision {

    private PreviousDecision() {
    }

    static Optional<ServiceDecision> from(Policy policy, Map<String, RegionRecords> records) {
        List<RegionOutcome> outcomes = new ArrayList<>();
        records.forEach((region, known) -> {
            if (known.directive() != null) {
                outcomes.add(outcome(known.directive()));
            }
        });
        return outcomes.isEmpty() ? Optional.empty()
                : Optional.of(new ServiceDecision(policy, outcomes, false, Optional.empty()));
    }

    private static RegionOutcome outcome(ServiceDirective directive) {
        Optional<CiliumServiceConfig> config = CiliumServiceConfig.fromAnnotations(directive.annotations());
        boolean away = config.map(c -> c.affinity() == Affinity.REMOTE).orElse(false);
        boolean exporting = config.map(CiliumServiceConfig::shared).orElse(false);
        Reason reason = Reason.fromWire(directive.reason()).orElse(Reason.LOCAL_HEALTHY);
        return new RegionOutcome(directive.region(), state(reason), directive.decidedAt(), away, exporting,
                directive.annotations(), reason, false);
    }

    private static RegionState state(Reason reason) {
        return switch (reason) {
            case FAILOVER_PENDING, LOCAL_DEGRADED, NO_HEALTHY_TARGET -> RegionState.DEGRADED;
            case DRAINED -> RegionState.DRAINED;
            case REGION_STALE -> RegionState.STALE;
            default -> RegionState.HEALTHY;
        };
    }
}
