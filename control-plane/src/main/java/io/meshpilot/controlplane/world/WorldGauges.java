package io.meshpilot.controlplane.world;

import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.policy.PolicyStatuses;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.ServiceKey;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gauges of what every replica knows from the topics: per region, how many Services are in each state, how many have
 * a directive their agent failed to apply or refused, and when its agent was last heard; which policy scopes stand
 * rejected; optionally one series per Service and region (off by default: its cardinality grows with the
 * Services). Counted on the event loop at each refresh; read from a snapshot by any scraping thread.
 */
public final class WorldGauges {

    /** What a refresh counted. */
    private record Snapshot(Map<String, Map<String, Integer>> servicesByState, Map<String, Integer> unapplied,
            Map<String, Double> lastHeartbeat, Set<String> rejectedPolicies, Map<ServiceKey, Map<String, String>> perService) {
    }

    private final WorldModel world;
    private final RegionLiveness liveness;
    private final PolicyBook policies;
    private final PolicyStatuses policyStatuses;
    private final Clock clock;
    private final boolean perService;
    private final AtomicReference<Snapshot> snapshot =
            new AtomicReference<>(new Snapshot(Map.of(), Map.of(), Map.of(), Set.of(), Map.of()));

    public WorldGauges(WorldModel world, RegionLiveness liveness, PolicyBook policies, PolicyStatuses policyStatuses,
            Clock clock, boolean perService, PrometheusRegistry registry) {
        this.world = world;
        this.liveness = liveness;
        this.policies = policies;
        this.policyStatuses = policyStatuses;
        this.clock = clock;
        this.perService = perService;
        register(registry);
    }

    /** Counts again; call on the event loop. */
    public void refresh() {
        Instant now = clock.instant();
        Map<String, Map<String, Integer>> byState = new HashMap<>();
        Map<String, Integer> unapplied = new HashMap<>();
        Map<ServiceKey, Map<String, String>> services = new HashMap<>();
        for (String region : world.regions()) {
            Map<String, Integer> counts = new HashMap<>();
            for (String state : RegionStates.ALL) {
                counts.put(state, 0);
            }
            byState.put(region, counts);
            unapplied.put(region, 0);
        }
        for (ServiceKey service : world.services()) {
            var policy = policies.resolve(service);
            world.service(service).forEach((region, records) -> {
                String state = RegionStates.of(records, RegionStates.stale(liveness, region, policy, now));
                byState.computeIfAbsent(region, key -> new HashMap<>()).merge(state, 1, Integer::sum);
                if (unapplied(records)) {
                    unapplied.merge(region, 1, Integer::sum);
                }
                if (perService) {
                    services.computeIfAbsent(service, key -> new HashMap<>()).put(region, state);
                }
            });
        }
        snapshot.set(new Snapshot(byState, unapplied, lastHeartbeats(), policyStatuses.rejectedScopes(),
                services));
    }

    private static boolean unapplied(RegionRecords records) {
        return records.status() != null && records.status().result() != DirectiveStatus.Result.APPLIED;
    }

    private Map<String, Double> lastHeartbeats() {
        Map<String, Double> heard = new HashMap<>();
        world.regions().forEach(region -> liveness.lastHeard(region).ifPresent(at ->
                heard.put(region, at.toEpochMilli() / 1000.0)));
        return heard;
    }

    private void register(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("meshpilot_region_services")
                .help("Services in each region, by state (healthy, degraded, drained, stale, pending, unmanaged).")
                .labelNames("region", "state")
                .callback(callback -> snapshot.get().servicesByState().forEach((region, counts) ->
                        counts.forEach((state, count) -> callback.call(count, region, state))))
                .register(registry);
        GaugeWithCallback.builder().name("meshpilot_region_directives_unapplied")
                .help("Services whose agent's latest status in the region says Failed or Rejected.")
                .labelNames("region")
                .callback(callback -> snapshot.get().unapplied().forEach((region, count) ->
                        callback.call(count, region)))
                .register(registry);
        GaugeWithCallback.builder().name("meshpilot_region_last_heartbeat_timestamp_seconds").unit(Unit.SECONDS)
                .help("When each region's leading agent was last heard, in seconds since the epoch.")
                .labelNames("region")
                .callback(callback -> snapshot.get().lastHeartbeat().forEach((region, at) ->
                        callback.call(at, region)))
                .register(registry);
        GaugeWithCallback.builder().name("meshpilot_policy_rejected")
                .help("1 for each policy scope whose latest record was rejected (the last accepted policy stays in "
                        + "force).")
                .labelNames("scope")
                .callback(callback -> snapshot.get().rejectedPolicies().forEach(scope -> callback.call(1, scope)))
                .register(registry);
        if (perService) {
            GaugeWithCallback.builder().name("meshpilot_service_region_state")
                    .help("1 for each Service's state in each region (only with --per-service-metrics).")
                    .labelNames("namespace", "service", "region", "state")
                    .callback(callback -> snapshot.get().perService().forEach((service, regions) ->
                            regions.forEach((region, state) -> callback.call(1, service.namespace(), service.name(),
                                    region, state))))
                    .register(registry);
        }
    }
}
