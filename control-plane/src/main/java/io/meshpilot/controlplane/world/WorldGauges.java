package io.meshpilot.controlplane.world;

import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.policy.PolicyStatuses;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.ServiceKey;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gauges of what every replica knows from the topics: per region, how many Services are in each state, how many have
 * a directive their agent failed to apply or refused, and how long ago its agent was heard; how many policy scopes
 * stand rejected; optionally one series per Service and region (off by default: its cardinality grows with the
 * Services). Counted on the event loop at each refresh; read from a snapshot by any scraping thread.
 */
public final class WorldGauges {

    /** What a refresh counted. */
    private record Snapshot(Map<String, Map<String, Integer>> servicesByState, Map<String, Integer> unapplied,
            Map<String, Double> heartbeatAge, int rejectedPolicies, Map<ServiceKey, Map<String, String>> perService) {
    }

    private final WorldModel world;
    private final RegionLiveness liveness;
    private final PolicyBook policies;
    private final PolicyStatuses policyStatuses;
    private final Clock clock;
    private final boolean perService;
    private final AtomicReference<Snapshot> snapshot =
            new AtomicReference<>(new Snapshot(Map.of(), Map.of(), Map.of(), 0, Map.of()));

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
        snapshot.set(new Snapshot(byState, unapplied, heartbeatAges(now), policyStatuses.rejectedScopes(),
                services));
    }

    private static boolean unapplied(RegionRecords records) {
        return records.status() != null && records.status().result() != DirectiveStatus.Result.APPLIED;
    }

    private Map<String, Double> heartbeatAges(Instant now) {
        Map<String, Double> ages = new HashMap<>();
        world.regions().forEach(region -> liveness.lastHeard(region).ifPresent(heard ->
                ages.put(region, Math.max(0, Duration.between(heard, now).toMillis() / 1000.0))));
        return ages;
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
        GaugeWithCallback.builder().name("meshpilot_region_heartbeat_age_seconds").unit(Unit.SECONDS)
                .help("How long ago each region's leading agent was last heard.")
                .labelNames("region")
                .callback(callback -> snapshot.get().heartbeatAge().forEach((region, age) ->
                        callback.call(age, region)))
                .register(registry);
        GaugeWithCallback.builder().name("meshpilot_policies_rejected")
                .help("Policy scopes whose latest record was rejected (the last accepted policy stays in force).")
                .callback(callback -> callback.call(snapshot.get().rejectedPolicies()))
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
