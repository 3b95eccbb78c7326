package io.meshpilot.controlplane.decisions;

import io.meshpilot.schemas.ServiceKey;

/** A Service in one region: the key of what the decision loop remembers per region. */
public record ServiceRegion(ServiceKey service, String region) {
}
