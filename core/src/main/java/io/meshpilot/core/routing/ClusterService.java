package io.meshpilot.core.routing;

import io.meshpilot.core.health.EndpointTally;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One cluster's view of a Service, as Cilium sees it: its ClusterMesh settings; its backends in Cilium's two views
 * (locally: {@code activeBackends} ready ones, {@code fallbackBackends} serving and terminating ones used only when
 * nothing is active; for export: {@code exportedBackends}, ready or serving, which importing clusters treat as
 * active); whether its Namespace lets Cilium export it ({@code clustermesh.cilium.io/global} and
 * {@code clustermesh-default-global-namespace}); and, for a cluster the others cannot reach, since when. An
 * unreachable cluster is described by what Cilium last learnt of it.
 */
public record ClusterService(String cluster, CiliumServiceConfig config, int activeBackends, int fallbackBackends,
        int exportedBackends, boolean namespaceExports, Optional<Instant> unreachableSince) {

    public ClusterService {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(unreachableSince, "unreachableSince");
        if (activeBackends < 0 || fallbackBackends < 0 || exportedBackends < 0) {
            throw new IllegalArgumentException("backend counts cannot be negative");
        }
    }

    /** A reachable cluster in an exporting Namespace whose active backends are also the ones it exports. */
    public ClusterService(String cluster, CiliumServiceConfig config, int activeBackends) {
        this(cluster, config, activeBackends, 0, activeBackends, true, Optional.empty());
    }

    /** A reachable cluster in an exporting Namespace, with the backends its agent counted. */
    public static ClusterService of(String cluster, CiliumServiceConfig config, EndpointTally endpoints) {
        return new ClusterService(cluster, config, endpoints.active(), endpoints.fallback(), endpoints.exported(),
                true, Optional.empty());
    }

    /** This cluster with its Namespace letting Cilium export the Service or not. */
    public ClusterService withNamespaceExports(boolean exports) {
        return new ClusterService(cluster, config, activeBackends, fallbackBackends, exportedBackends, exports,
                unreachableSince);
    }

    /** This cluster, unreachable from the others since the given time (Cilium serves its last-known backends). */
    public ClusterService unreachableSince(Instant since) {
        return new ClusterService(cluster, config, activeBackends, fallbackBackends, exportedBackends,
                namespaceExports, Optional.of(since));
    }

    /** Whether Cilium exports this cluster's backends to the others: global, shared and in an exporting Namespace. */
    public boolean exports() {
        return config.exports() && namespaceExports;
    }
}
