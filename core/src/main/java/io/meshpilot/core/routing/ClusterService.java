package io.meshpilot.core.routing;

import java.util.Objects;

/**
 * One cluster's view of a Service, as Cilium sees it: its ClusterMesh settings and how many active backends (ready,
 * or serving and not terminating) it has. An unreachable cluster is described by what Cilium last learnt of it.
 */
public record ClusterService(String cluster, CiliumServiceConfig config, int activeBackends) {

    public ClusterService {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(config, "config");
        if (activeBackends < 0) {
            throw new IllegalArgumentException("activeBackends cannot be negative");
        }
    }
}
