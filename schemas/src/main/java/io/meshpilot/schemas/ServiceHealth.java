package io.meshpilot.schemas;

import java.time.Instant;

/**
 * Health of one managed Service in one region, as its agent observed it, with whether Cilium can export the Service
 * from there (its Namespace) and whether it is also exported through the MCS-API; both absent from older agents'
 * records, read as exportable and not MCS-exported.
 */
public record ServiceHealth(
        String region,
        String namespace,
        String service,
        EndpointCounts endpoints,
        Instant observedAt,
        String agentId,
        Boolean exportable,
        Boolean mcsApiExport) implements MeshRecord {

    public ServiceHealth {
        exportable = exportable == null || exportable;
        mcsApiExport = mcsApiExport != null && mcsApiExport;
    }

    /** Health of an exportable Service not exported through the MCS-API. */
    public ServiceHealth(String region, String namespace, String service, EndpointCounts endpoints,
            Instant observedAt, String agentId) {
        this(region, namespace, service, endpoints, observedAt, agentId, true, false);
    }

    public ServiceKey key() {
        return new ServiceKey(namespace, service);
    }
}
