package io.meshpilot.agent.health;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshpilot.core.health.Endpoint;
import io.meshpilot.schemas.ServiceKey;
import java.util.List;
import java.util.Optional;

/** Reads an EndpointSlice into the domain's endpoints, and says which Service it belongs to. */
public final class EndpointSliceReader {

    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private EndpointSliceReader() {
    }

    public static Optional<ServiceKey> serviceOf(EndpointSlice slice) {
        var labels = slice.getMetadata().getLabels();
        String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
        return service == null ? Optional.empty()
                : Optional.of(new ServiceKey(slice.getMetadata().getNamespace().intern(), service.intern()));
    }

    public static List<Endpoint> endpoints(EndpointSlice slice) {
        if (slice.getEndpoints() == null) {
            return List.of();
        }
        return slice.getEndpoints().stream().map(EndpointSliceReader::endpoint).toList();
    }

    private static Endpoint endpoint(io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint) {
        EndpointConditions conditions = endpoint.getConditions();
        return new Endpoint(identity(endpoint),
                conditions == null ? null : conditions.getReady(),
                conditions == null ? null : conditions.getServing(),
                conditions == null ? null : conditions.getTerminating());
    }

    /**
     * The pod behind an endpoint: its targetRef (the same in the IPv4 and the IPv6 slice of a dual-stack Service),
     * else its hostname, else its addresses.
     */
    static String identity(io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint) {
        ObjectReference target = endpoint.getTargetRef();
        if (target != null && target.getUid() != null) {
            return "uid:" + target.getUid();
        }
        if (target != null && target.getName() != null) {
            return "ref:" + target.getKind() + "/" + target.getNamespace() + "/" + target.getName();
        }
        if (endpoint.getHostname() != null) {
            return "host:" + endpoint.getHostname();
        }
        return "addresses:" + String.join(",", endpoint.getAddresses() == null ? List.of() : endpoint.getAddresses());
    }
}
