package io.meshpilot.core.decision;

import io.meshpilot.core.routing.Affinity;
import io.meshpilot.core.routing.CiliumServiceConfig;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The engine's verdict for one region.
 *
 * @param state          how it judged the region
 * @param since          since when the region has been in that state (continuously)
 * @param away           whether the region's clients are sent to other regions
 * @param exporting      whether the region's backends are offered to other regions' clients
 * @param annotations    the owned annotations its Service should carry now (empty: remove them all)
 * @param hold           whether to leave the last published directive as it is (a stale region): publish nothing
 * @param capacity       the region's expected capacity: its peak of ready endpoints within the capacity window
 * @param capacitySince  when that peak was last reached
 * @param awaiting       the regions whose new export must be applied before this region withdraws its own (make
 *                       before break); while not empty, {@code annotations} keep this region exporting
 * @param safetyRule     the safety rule that held back its withdrawal ({@code blocked-by-safety-rule}), if one did
 */
public record RegionOutcome(String region, RegionState state, Instant since, boolean away, boolean exporting,
        Map<String, String> annotations, Reason reason, boolean hold, int capacity, Instant capacitySince,
        Set<String> awaiting, Optional<SafetyRule> safetyRule) {

    public RegionOutcome {
        annotations = Map.copyOf(annotations);
        awaiting = Set.copyOf(awaiting);
        java.util.Objects.requireNonNull(safetyRule, "safetyRule");
    }

    /** An outcome no safety rule held back. */
    public RegionOutcome(String region, RegionState state, Instant since, boolean away, boolean exporting,
            Map<String, String> annotations, Reason reason, boolean hold, int capacity, Instant capacitySince,
            Set<String> awaiting) {
        this(region, state, since, away, exporting, annotations, reason, hold, capacity, capacitySince, awaiting,
                Optional.empty());
    }

    /** An outcome with no capacity known and nothing awaited. */
    public RegionOutcome(String region, RegionState state, Instant since, boolean away, boolean exporting,
            Map<String, String> annotations, Reason reason, boolean hold) {
        this(region, state, since, away, exporting, annotations, reason, hold, 0, since, Set.of());
    }

    /** The affinity its annotations express, if they express one (balanced has no annotation). */
    public Optional<Affinity> affinity() {
        return annotations.isEmpty() ? Optional.empty()
                : CiliumServiceConfig.fromAnnotations(annotations).map(CiliumServiceConfig::affinity);
    }
}
