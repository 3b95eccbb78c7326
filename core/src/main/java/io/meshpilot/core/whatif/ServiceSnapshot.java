package io.meshpilot.core.whatif;

import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.RegionInput;
import io.meshpilot.core.decision.ServiceDecision;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One Service as the engine would decide it now: its policy, each region's input, and the decision in force. */
public record ServiceSnapshot(String service, Policy policy, List<RegionInput> regions,
        Optional<ServiceDecision> previous) {

    public ServiceSnapshot {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(policy, "policy");
        regions = List.copyOf(regions);
        Objects.requireNonNull(previous, "previous");
    }
}
