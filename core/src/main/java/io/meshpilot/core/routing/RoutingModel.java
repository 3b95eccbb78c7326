package io.meshpilot.core.routing;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Cilium ClusterMesh's documented load-balancing semantics, answering "from cluster X, which backends does a client
 * of the Service reach?" (SPEC §6):
 * <ul>
 *   <li>a Service that is not global in X reaches only X's own backends;</li>
 *   <li>a global Service reaches X's active backends plus the active ones of every other cluster where the Service is
 *       global and shared ({@code shared=false} stops a cluster exporting its backends, not its clients reaching
 *       others');</li>
 *   <li>{@code affinity=local} uses the local backends, and the remote ones only when no local one is active;
 *       {@code remote} the reverse; no affinity all of them.</li>
 * </ul>
 * An unreachable cluster keeps exporting the backends Cilium last learnt: describe it by its last-known state.
 */
public final class RoutingModel {

    private RoutingModel() {
    }

    /** The clusters whose backends clients in {@code from} reach, with how many backends each. */
    public static Map<String, Integer> reachableFrom(String from, Collection<ClusterService> clusters) {
        Optional<ClusterService> local = clusters.stream().filter(service -> service.cluster().equals(from))
                .findFirst();
        Map<String, Integer> reached = new LinkedHashMap<>();
        if (local.isEmpty()) {
            return reached;
        }
        int localBackends = local.get().activeBackends();
        if (!local.get().config().global()) {
            put(reached, from, localBackends);
            return reached;
        }
        Map<String, Integer> remote = new LinkedHashMap<>();
        clusters.stream()
                .filter(service -> !service.cluster().equals(from))
                .filter(service -> service.config().global() && service.config().shared())
                .sorted(Comparator.comparing(ClusterService::cluster))
                .forEach(service -> put(remote, service.cluster(), service.activeBackends()));
        switch (local.get().config().affinity()) {
            case LOCAL -> {
                if (localBackends > 0) {
                    put(reached, from, localBackends);
                } else {
                    reached.putAll(remote);
                }
            }
            case REMOTE -> {
                if (!remote.isEmpty()) {
                    reached.putAll(remote);
                } else {
                    put(reached, from, localBackends);
                }
            }
            case BALANCED -> {
                put(reached, from, localBackends);
                reached.putAll(remote);
            }
        }
        return reached;
    }

    private static void put(Map<String, Integer> reached, String cluster, int backends) {
        if (backends > 0) {
            reached.put(cluster, backends);
        }
    }
}
