package io.meshpilot.core.decision;

import java.util.List;
import java.util.Optional;

/** The engine's verdict for one Service: an outcome per region where the Service exists, ordered by region. */
public record ServiceDecision(List<RegionOutcome> regions, boolean globalOutage) {

    public ServiceDecision {
        regions = List.copyOf(regions);
    }

    public Optional<RegionOutcome> region(String region) {
        return regions.stream().filter(outcome -> outcome.region().equals(region)).findFirst();
    }
}
