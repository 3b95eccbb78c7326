package io.meshpilot.core.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Cilium ClusterMesh's load balancing as Cilium's code decides it, answering "from cluster X, which backends does a
 * client of the Service reach?" (SPEC §6; each rule is checked against Cilium itself by the conformance suite,
 * docs/cilium.md):
 * <ul>
 *   <li>X's own backends are its active ones, or its fallback ones (serving and terminating) when no active
 *       backend is selected at all ({@code pkg/loadbalancer/reconciler});</li>
 *   <li>a Service that is not global in X reaches only X's own backends;</li>
 *   <li>a global Service also reaches the exported backends of every other cluster that exports it (global, shared
 *       and in an exporting Namespace; {@code shared=false} stops a cluster exporting, not its clients reaching
 *       others'), all active there;</li>
 *   <li>{@code affinity=local} adds the remote backends only when X has no active one; {@code remote} uses X's
 *       backends only when no remote one exists; no affinity uses all; {@link Affinity#LOCAL_ONLY} (how releases
 *       before the fix read {@code none}) never the remote ones ({@code pkg/clustermesh/selectbackends.go}).</li>
 * </ul>
 * An unreachable cluster keeps exporting the backends Cilium last learnt, for ever, or until the importing cluster's
 * {@code clustermesh.cacheTTL} runs out.
 */
public final class RoutingModel {

    private RoutingModel() {
    }

    /** The clusters whose backends clients in {@code from} reach, with how many backends each; nothing is revoked. */
    public static Map<String, Integer> reachableFrom(String from, Collection<ClusterService> clusters) {
        return reachableFrom(from, clusters, Instant.MIN, Duration.ZERO);
    }

    /**
     * The clusters whose backends clients in {@code from} reach at {@code now}, with how many backends each, where
     * {@code from}'s Cilium revokes an unreachable cluster's backends {@code cacheTtl} after it became unreachable
     * ({@link Duration#ZERO}: never, Cilium's default).
     */
    public static Map<String, Integer> reachableFrom(String from, Collection<ClusterService> clusters, Instant now,
            Duration cacheTtl) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        Optional<ClusterService> found = clusters.stream().filter(service -> service.cluster().equals(from))
                .findFirst();
        Map<String, Integer> reached = new LinkedHashMap<>();
        if (found.isEmpty()) {
            return reached;
        }
        ClusterService local = found.get();
        Map<String, Integer> remote = new LinkedHashMap<>();
        clusters.stream()
                .filter(service -> !service.cluster().equals(from))
                .filter(ClusterService::exports)
                .filter(service -> !revoked(service, now, cacheTtl))
                .sorted(Comparator.comparing(ClusterService::cluster))
                .forEach(service -> put(remote, service.cluster(), service.exportedBackends()));
        boolean useLocal = true;
        boolean useRemote = false;
        if (local.config().global()) {
            switch (local.config().affinity()) {
                case LOCAL -> useRemote = local.activeBackends() == 0 && !remote.isEmpty();
                case REMOTE -> {
                    useRemote = true;
                    useLocal = remote.isEmpty() && local.activeBackends() + local.fallbackBackends() > 0;
                }
                case BALANCED -> useRemote = true;
                case LOCAL_ONLY -> useRemote = false;
            }
        }
        boolean anyActive = (useLocal && local.activeBackends() > 0) || (useRemote && !remote.isEmpty());
        if (useLocal) {
            put(reached, from, anyActive ? local.activeBackends() : local.fallbackBackends());
        }
        if (useRemote) {
            reached.putAll(remote);
        }
        return reached;
    }

    /** Whether {@code from}'s Cilium has revoked an unreachable cluster's cached backends by {@code now}. */
    public static boolean revoked(ClusterService service, Instant now, Duration cacheTtl) {
        return !cacheTtl.isZero() && service.unreachableSince()
                .map(since -> !now.isBefore(since.plus(cacheTtl))).orElse(false);
    }

    private static void put(Map<String, Integer> reached, String cluster, int backends) {
        if (backends > 0) {
            reached.put(cluster, backends);
        }
    }
}
