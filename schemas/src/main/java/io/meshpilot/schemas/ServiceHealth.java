package io.meshpilot.schemas;

import java.time.Instant;

/** Health of one managed Service in one region, as its agent observed it. */
public record ServiceHealth(
        String region,
        String namespace,
        String service,
        EndpointCounts endpoints,
        Instant observedAt,
        String agentId) implements MeshRecord {

    public ServiceKey key() {
        return new ServiceKey(namespace, service);
    }
}
