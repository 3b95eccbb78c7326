package io.meshpilot.core.decision;

import io.meshpilot.core.health.EndpointTally;
import java.util.Objects;

/** What the engine knows of one region for one Service: the endpoints its agent last reported. */
public record RegionInput(String region, EndpointTally endpoints) {

    public RegionInput {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoints, "endpoints");
    }
}
