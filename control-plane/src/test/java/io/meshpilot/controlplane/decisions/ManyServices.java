package io.meshpilot.controlplane.decisions;

import io.meshpilot.controlplane.ControlPlaneMetrics;
import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.shard.Pending;
import io.meshpilot.controlplane.shard.ResultTimers;
import io.meshpilot.controlplane.world.RegionLiveness;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.kafka.SendListener;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.testing.ManualTime;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The real {@link DecisionLoop} with the manual clock deciding for several Services at once, with an agent per region
 * that heartbeats every 5 s, reports each Service's health and applies its directives when the test says. Every
 * directive is handed to {@link #onPublished} as the observer reads it back, with the mesh's directives before it.
 */
final class ManyServices {

    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    final ManualTime time = new ManualTime(Instant.parse("2026-11-25T12:00:00Z"));
    final WorldModel world = new WorldModel();
    final RegionLiveness liveness = new RegionLiveness();
    final PolicyBook policies = new PolicyBook();
    final PrometheusRegistry registry = new PrometheusRegistry();
    /** Every Decision record published, in order. */
    final List<io.meshpilot.schemas.Decision> decisionLog = new ArrayList<>();
    final Pending pending = new Pending();
    final List<ServiceKey> services;
    final List<String> regions;
    /** Per Service, per region: the directive in force. */
    final Map<ServiceKey, Map<String, ServiceDirective>> inForce = new HashMap<>();
    final Map<ServiceKey, Map<String, ServiceDirective>> unapplied = new HashMap<>();
    final DecisionLoop loop;
    /** Told of each directive read back, before it is in force. */
    Consumer<ServiceDirective> onPublished = directive -> { };
    private Instant lastBeat;

    ManyServices(Policy policy, List<ServiceKey> services, List<String> regions) {
        this.services = List.copyOf(services);
        this.regions = List.copyOf(regions);
        policies.accept("*", policy);
        loop = new DecisionLoop(world, liveness, policies, new ResultTimers(time, pending::add), time,
                new ControlPlaneMetrics(registry, SendListener.NONE));
        heartbeats();
        for (ServiceKey service : services) {
            for (String region : regions) {
                report(service, region, counts(3));
            }
        }
        pending.add(loop.own(0));
        deliver();
        services.forEach(service -> regions.forEach(region -> apply(service, region)));
    }

    void health(ServiceKey service, String region, int ready) {
        report(service, region, counts(ready));
        pending.add(loop.changed(service));
        deliver();
    }

    void policy(Policy policy) {
        policies.accept("*", policy);
        pending.add(loop.policyChanged("*"));
        deliver();
    }

    /** Time passes second by second: agents heartbeat every 5 s, timers fire when due. */
    void pass(Duration elapsed) {
        for (long second = 0; second < elapsed.toSeconds(); second++) {
            time.advance(Duration.ofSeconds(1));
            if (!time.instant().isBefore(lastBeat.plus(HEARTBEAT))) {
                heartbeats();
            }
            deliver();
        }
    }

    /** The region's agent applies the Service's directive it has, if any, and reports it. */
    void apply(ServiceKey service, String region) {
        ServiceDirective directive = unapplied.getOrDefault(service, Map.of()).remove(region);
        if (directive == null) {
            return;
        }
        world.status(service, region, 0, new DirectiveStatus(region, service.namespace(), service.name(),
                directive.version(), DirectiveStatus.Result.APPLIED, "applied", time.instant(), "agent-" + region));
        pending.add(loop.changed(service));
        deliver();
    }

    /** Every agent applies what it has, until nothing is left. */
    void settle() {
        for (int round = 0; round < 8 && unapplied.values().stream().anyMatch(m -> !m.isEmpty()); round++) {
            for (ServiceKey service : services) {
                for (String region : regions) {
                    apply(service, region);
                }
            }
        }
    }

    /** The regions withdrawn for some Service by the directives in force (shared=false, not as a healthy region). */
    Set<String> withdrawn() {
        Set<String> regionsOut = new TreeSet<>();
        inForce.values().forEach(byRegion -> byRegion.values().stream().filter(ManyServices::withdraws)
                .forEach(directive -> regionsOut.add(directive.region())));
        return regionsOut;
    }

    static boolean withdraws(ServiceDirective directive) {
        boolean unshared = CiliumServiceConfig.fromAnnotations(directive.annotations())
                .map(config -> config.global() && !config.shared()).orElse(false);
        return unshared && !"local-healthy".equals(directive.reason());
    }

    Map<String, String> reasons(ServiceKey service) {
        Map<String, String> reasons = new TreeMap<>();
        inForce.getOrDefault(service, Map.of()).forEach((region, directive) -> reasons.put(region,
                directive.reason()));
        return reasons;
    }

    private void heartbeats() {
        lastBeat = time.instant();
        for (String region : regions) {
            pending.add(loop.heard(region, liveness.heard(new AgentHeartbeat(region, "agent-" + region, "test",
                    time.instant(), 1, true), time.instant())));
        }
        deliver();
    }

    private void report(ServiceKey service, String region, EndpointCounts counts) {
        world.health(service, region, 0, new ServiceHealth(region, service.namespace(), service.name(), counts,
                time.instant(), "agent-" + region));
    }

    /** What reached the outbox, committed and read back as the observer would. */
    List<ServiceDirective> deliver() {
        List<ServiceDirective> read = new ArrayList<>();
        time.runDue();
        while (!pending.isEmpty()) {
            List<io.meshpilot.controlplane.shard.Output> outputs = pending.commit();
            outputs.stream().filter(io.meshpilot.controlplane.shard.Output.DecisionLog.class::isInstance)
                    .map(output -> ((io.meshpilot.controlplane.shard.Output.DecisionLog) output).decision())
                    .forEach(decisionLog::add);
            for (ServiceDirective directive : Pending.directives(outputs)) {
                onPublished.accept(directive);
                ServiceKey service = directive.key();
                world.directive(service, directive.region(), 0, directive);
                inForce.computeIfAbsent(service, key -> new TreeMap<>()).put(directive.region(), directive);
                unapplied.computeIfAbsent(service, key -> new TreeMap<>()).put(directive.region(), directive);
                loop.observed(directive);
                read.add(directive);
            }
            time.runDue();
        }
        return read;
    }

    static EndpointCounts counts(int ready) {
        return new EndpointCounts(ready, ready, 0, ready, 3);
    }
}
