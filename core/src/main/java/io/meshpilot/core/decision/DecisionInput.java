package io.meshpilot.core.decision;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Everything the engine decides from: the policy, the regions' health, the previous decision and the time. */
public record DecisionInput(Policy policy, List<RegionInput> regions, Optional<ServiceDecision> previous,
        Instant now) {

    public DecisionInput {
        Objects.requireNonNull(policy, "policy");
        regions = List.copyOf(regions);
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(now, "now");
    }
}
