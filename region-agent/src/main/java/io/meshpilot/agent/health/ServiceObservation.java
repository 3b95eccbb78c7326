package io.meshpilot.agent.health;

import io.meshpilot.core.health.EndpointTally;
import java.util.Objects;

/**
 * What the agent publishes of one managed Service: its endpoints, whether Cilium can export it from this region (its
 * Namespace), and whether it is also exported through the MCS-API.
 */
record ServiceObservation(EndpointTally endpoints, boolean exportable, boolean mcsApiExport) {

    ServiceObservation {
        Objects.requireNonNull(endpoints, "endpoints");
    }
}
