package io.meshpilot.core.decision;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the engine decides from: the policy, the regions' health, the previous decision, the time, the regions
 * withdrawn across the mesh (for the {@code maxWithdrawnRegions} safety rule), and the regions where a mass
 * degradation waits for confirmation, with when the window ends ({@link MassDegradation}).
 */
public record DecisionInput(Policy policy, List<RegionInput> regions, Optional<ServiceDecision> previous,
        Instant now, MeshWithdrawals withdrawals, Map<String, Instant> confirmingUntil) {

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
        confirmingUntil = Map.copyOf(confirmingUntil);
    }

    /** With no mass degradation waiting for confirmation. */
    public DecisionInput(Policy policy, List<RegionInput> regions, Optional<ServiceDecision> previous, Instant now,
            MeshWithdrawals withdrawals) {
        this(policy, regions, previous, now, withdrawals, Map.of());
    }

    /** When the region's mass degradation window ends, if one is open now. */
    public Optional<Instant> confirmingUntil(String region) {
        return Optional.ofNullable(confirmingUntil.get(region)).filter(now::isBefore);
    }

    /** With nothing withdrawn elsewhere in the mesh. */
    public DecisionInput(Policy policy, List<RegionInput> regions, Optional<ServiceDecision> previous, Instant now) {
        this(policy, regions, previous, now, MeshWithdrawals.NONE);
    }
}
