package io.meshpilot.core.decision;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The engine's verdict for one Service: an outcome per region where the Service exists, ordered by region, whether
 * it is a global outage, and when to decide again if nothing else happens (a failover or failback delay ends).
 */
public record ServiceDecision(Policy policy, List<RegionOutcome> regions, boolean globalOutage,
        Optional<Instant> reviewAt) {

    public ServiceDecision {
        regions = List.copyOf(regions);
    }

    public Optional<RegionOutcome> region(String region) {
        for (RegionOutcome outcome : regions) {
            if (outcome.region().equals(region)) {
                return Optional.of(outcome);
            }
        }
        return Optional.empty();
    }
}
