package io.meshpilot.controlplane.api;

import io.meshpilot.controlplane.world.RegionLiveness;
import io.meshpilot.controlplane.world.RegionRecords;
import io.meshpilot.controlplane.world.RegionStates;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.core.routing.ClusterService;
import io.meshpilot.core.routing.RoutingModel;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.ServiceKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Service as the HTTP API shows it, built from what every replica reads: per region its health, the directive in
 * force with its reason and time, the agent's status, the state the reason stands for, and the backends its clients
 * reach per the Cilium routing model (stale regions by what was last known, as Cilium keeps them).
 */
public final class ServiceView {

    private ServiceView() {
    }

    /** One line per Service for the list. */
    public static JsonObject summary(ServiceKey service, Map<String, RegionRecords> records, RegionLiveness liveness,
            Policy policy, Instant now) {
        JsonArray regions = new JsonArray();
        records.forEach((region, known) -> {
            JsonObject line = new JsonObject().put("region", region)
                    .put("state", RegionStates.of(known, RegionStates.stale(liveness, region, policy, now)));
            if (known.directive() != null) {
                config(known).ifPresent(config -> line.put("global", config.global()).put("shared", config.shared())
                        .put("affinity", affinity(config)));
                line.put("reason", known.directive().reason());
            }
            regions.add(line);
        });
        return new JsonObject().put("namespace", service.namespace()).put("name", service.name())
                .put("regions", regions);
    }

    /** Everything known of one Service, region by region. */
    static JsonObject detail(ServiceKey service, Map<String, RegionRecords> records, RegionLiveness liveness,
            Policy policy, Instant now) {
        List<ClusterService> clusters = clusters(records);
        JsonArray regions = new JsonArray();
        records.forEach((region, known) -> {
            boolean stale = RegionStates.stale(liveness, region, policy, now);
            JsonObject view = new JsonObject().put("region", region).put("state", RegionStates.of(known, stale))
                    .put("stale", stale);
            liveness.lastHeard(region).ifPresent(heard -> view.put("agentLastHeard", heard.toString()));
            if (known.health() != null) {
                var endpoints = known.health().endpoints();
                view.put("health", new JsonObject().put("ready", endpoints.ready()).put("serving", endpoints.serving())
                        .put("terminating", endpoints.terminating()).put("active", endpoints.active())
                        .put("total", endpoints.total()).put("observedAt", known.health().observedAt().toString()));
            }
            if (known.directive() != null) {
                view.put("directive", new JsonObject().put("version", known.directive().version())
                        .put("annotations", new JsonObject(Map.copyOf(known.directive().annotations())))
                        .put("reason", known.directive().reason())
                        .put("decidedAt", known.directive().decidedAt().toString()));
                view.put("reason", known.directive().reason()).put("lastChange", known.directive().decidedAt()
                        .toString());
            }
            if (known.status() != null) {
                JsonObject status = new JsonObject().put("version", known.status().version())
                        .put("result", known.status().result().name().charAt(0)
                                + known.status().result().name().substring(1).toLowerCase(Locale.ROOT))
                        .put("observedAt", known.status().observedAt().toString());
                if (known.status().message() != null) {
                    status.put("message", known.status().message());
                }
                view.put("status", status);
            }
            JsonObject routes = new JsonObject();
            RoutingModel.reachableFrom(region, clusters).forEach(routes::put);
            view.put("routes", routes);
            regions.add(view);
        });
        return new JsonObject().put("namespace", service.namespace()).put("name", service.name())
                .put("policy", policy(policy)).put("regions", regions);
    }

    private static List<ClusterService> clusters(Map<String, RegionRecords> records) {
        List<ClusterService> clusters = new ArrayList<>();
        records.forEach((region, known) -> {
            if (known.health() != null) {
                CiliumServiceConfig config = config(known).orElse(CiliumServiceConfig.LOCAL_ONLY);
                EndpointCounts counts = known.health().endpoints();
                clusters.add(new ClusterService(region, config, counts.active(), counts.fallback(),
                        counts.exported(), known.health().exportable(), Optional.empty()));
            }
        });
        return clusters;
    }

    private static Optional<CiliumServiceConfig> config(RegionRecords known) {
        return known.directive() == null ? Optional.empty()
                : CiliumServiceConfig.fromAnnotations(known.directive().annotations());
    }

    private static String affinity(CiliumServiceConfig config) {
        return config.affinity().name().toLowerCase(Locale.ROOT).replace("balanced", "none");
    }

    private static JsonObject policy(Policy policy) {
        return new JsonObject().put("scope", policy.scope()).put("mode", policy.mode().wireName())
                .put("minReadyEndpoints", policy.minReadyEndpoints()).put("minReadyRatio", policy.minReadyRatio())
                .put("failoverDelaySeconds", policy.failoverDelay().toSeconds())
                .put("failbackDelaySeconds", policy.failbackDelay().toSeconds())
                .put("staleAfterSeconds", policy.staleAfter().toSeconds())
                .put("failoverPriority", new JsonArray(policy.failoverPriority()))
                .put("maxFailoverRegions", policy.maxFailoverRegions())
                .put("minExportingRegions", policy.minExportingRegions())
                .put("maxWithdrawnRegions", policy.maxWithdrawnRegions())
                .put("massDegradationShare", policy.massDegradation().share())
                .put("massDegradationWithinSeconds", policy.massDegradation().within().toSeconds())
                .put("massDegradationConfirmSeconds", policy.massDegradation().confirmFor().toSeconds())
                .put("drain", new JsonArray(policy.drain().stream().sorted().toList()));
    }

    /** Whether the Service has a region matching the filters (null: any). */
    static boolean matches(Map<String, RegionRecords> records, String region, String state, RegionLiveness liveness,
            Policy policy, Instant now) {
        return records.entrySet().stream()
                .filter(entry -> region == null || entry.getKey().equals(region))
                .anyMatch(entry -> state == null || state.equals(
                        RegionStates.of(entry.getValue(), RegionStates.stale(liveness, entry.getKey(), policy, now))));
    }
}
