package io.meshpilot.core.decision;

import io.meshpilot.core.routing.Affinity;
import io.meshpilot.core.routing.CiliumServiceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The previous decision of a Service whose decider has just changed (a hand-over, or a restart), rebuilt from the
 * directives in force: each carries its reason, its region's state and since when, so failover and failback delays
 * carry on where the previous decider left them. The expected capacity starts again from the endpoints present.
 */
public final class PreviousDecision {

    private PreviousDecision() {
    }

    public static Optional<ServiceDecision> from(Policy policy, List<PublishedDirective> directives) {
        List<RegionOutcome> outcomes = new ArrayList<>(directives.size());
        for (PublishedDirective directive : directives) {
            outcomes.add(outcome(directive));
        }
        return outcomes.isEmpty() ? Optional.empty()
                : Optional.of(new ServiceDecision(policy, outcomes, false, Optional.empty()));
    }

    private static RegionOutcome outcome(PublishedDirective directive) {
        Optional<CiliumServiceConfig> config = CiliumServiceConfig.fromAnnotations(directive.annotations());
        boolean away = config.map(c -> c.affinity() == Affinity.REMOTE).orElse(false);
        boolean exporting = config.map(c -> c.global() && c.shared()).orElse(false);
        Reason reason = Reason.fromWire(directive.reason()).orElse(Reason.LOCAL_HEALTHY);
        RegionState state = directive.state().orElseGet(() -> state(reason));
        return new RegionOutcome(directive.region(), state, directive.since().orElse(directive.decidedAt()), away,
                exporting, directive.annotations(), reason, false);
    }

    private static RegionState state(Reason reason) {
        return switch (reason) {
            case FAILOVER_PENDING, CONFIRMING_MASS_DEGRADATION, LOCAL_DEGRADED, NO_HEALTHY_TARGET, INSUFFICIENT_CAPACITY, LAST_RESORT_EXPORT,
                    BLOCKED_BY_SAFETY_RULE ->
                    RegionState.DEGRADED;
            case DRAINED, DRAIN_OVERRIDDEN -> RegionState.DRAINED;
            case REGION_STALE -> RegionState.STALE;
            default -> RegionState.HEALTHY;
        };
    }
}
