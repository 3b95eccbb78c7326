package io.meshpilot.core.decision;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the engine decides from: the policy, the regions' health, the previous decision, the time, and the
 * regions withdrawn across the mesh (for the {@code maxWithdrawnRegions} safety rule).
 */
public record DecisionInput(Policy policy, List<RegionInput> regions, Optional<ServiceDecision> previous,
        Instant now, MeshWithdrawals withdrawals) {

    public DecisionInput {
        Objects.requireNonNull(policy, "policy");
        regions = List.copyOf(regions);
        if (regions.stream().map(RegionInput::region).distinct().count() != regions.size()) {
            throw new IllegalArgumentException("a region appears twice: " + regions.stream().map(RegionInput::region)
                    .toList());
        }
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(withdrawals, "withdrawals");
    }

    /** With nothing withdrawn elsewhere in the mesh. */
    public DecisionInput(Policy policy, List<RegionInput> regions, Optional<ServiceDecision> previous, Instant now) {
        this(policy, regions, previous, now, MeshWithdrawals.NONE);
    }
}
