package io.meshpilot.core.decision;

import io.meshpilot.core.health.EndpointTally;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine knows of one region for one Service: the endpoints its agent last reported (the Service exists
 * there), when the region's agent was last heard (empty: never), and whether Cilium can export the Service from
 * there at all (false when its Namespace is not global for ClusterMesh: such a region can never be a target).
 */
public record RegionInput(String region, EndpointTally endpoints, Instant observedAt, Optional<Instant> lastHeard,
        boolean exportable) {

    /** A region whose Service Cilium can export. */
    public RegionInput(String region, EndpointTally endpoints, Instant observedAt, Optional<Instant> lastHeard) {
        this(region, endpoints, observedAt, lastHeard, true);
    }

    public RegionInput {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(lastHeard, "lastHeard");
    }

    /** Whether the region's data is unknown: its agent not heard within {@code staleAfter}. */
    public boolean stale(Instant now, Duration staleAfter) {
        return lastHeard.isEmpty() || lastHeard.get().plus(staleAfter).isBefore(now);
    }
}
