package io.meshpilot.controlplane.decisions;

import io.meshpilot.controlplane.world.RegionRecords;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.PublishedDirective;
import io.meshpilot.core.decision.RegionState;
import io.meshpilot.core.decision.ServiceDecision;
import io.meshpilot.schemas.ServiceDirective;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The previous decision of a Service this replica has just taken over (or decides for the first time since it
 * started), rebuilt from the directives in force ({@link io.meshpilot.core.decision.PreviousDecision}).
 */
final class PreviousDecision {

    private PreviousDecision() {
    }

    static Optional<ServiceDecision> from(Policy policy, Map<String, RegionRecords> records) {
        List<PublishedDirective> directives = new ArrayList<>();
        records.forEach((region, known) -> {
            if (known.directive() != null) {
                directives.add(published(known.directive()));
            }
        });
        return io.meshpilot.core.decision.PreviousDecision.from(policy, directives);
    }

    static PublishedDirective published(ServiceDirective directive) {
        return new PublishedDirective(directive.region(), directive.annotations(), directive.reason(),
                state(directive.state()), Optional.ofNullable(directive.since()), directive.decidedAt());
    }

    private static Optional<RegionState> state(String wire) {
        return Arrays.stream(RegionState.values()).filter(state -> state.wireName().equals(wire)).findFirst();
    }
}
