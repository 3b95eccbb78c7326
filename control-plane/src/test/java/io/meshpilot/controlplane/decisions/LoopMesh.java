package io.meshpilot.controlplane.decisions;

import io.meshpilot.controlplane.ControlPlaneMetrics;
import io.meshpilot.controlplane.shard.Pending;
import io.meshpilot.controlplane.shard.ResultTimers;
import io.meshpilot.testing.ManualTime;
import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.world.RegionLiveness;
import io.meshpilot.controlplane.world.RegionRecords;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.RegionOutcome;
import io.meshpilot.core.decision.ServiceDecision;
import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.core.routing.Affinity;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.core.routing.ClusterService;
import io.meshpilot.core.routing.RoutingModel;
import io.meshpilot.kafka.SendListener;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.schemas.Topics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The real {@link DecisionLoop} with the manual clock, and a region agent per region around it as the topics would
 * connect them: each agent heartbeats every 5 s and reports its Service's health while it is heard; directives reach
 * it as the observer reads them back, and it applies them (reporting its status) when the test says, so regions
 * apply one decision's directives in any order. A silent agent reports, heartbeats and applies nothing.
 */
final class LoopMesh {

    static final ServiceKey SERVICE = new ServiceKey("default", "hello-world");
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    final ManualTime time = new ManualTime(Instant.parse("2026-11-25T12:00:00Z"));
    final WorldModel world = new WorldModel();
    final RegionLiveness liveness = new RegionLiveness();
    final PolicyBook policies = new PolicyBook();
    final Pending pending = new Pending();
    final Topics topics = Topics.defaults();
    final Map<String, EndpointCounts> truth = new TreeMap<>();
    final Map<String, Boolean> silent = new HashMap<>();
    final Map<String, Map<String, String>> applied = new HashMap<>();
    final Map<String, ServiceDirective> unapplied = new TreeMap<>();
    final List<ServiceDirective> published = new ArrayList<>();
    private Instant lastBeat;
    DecisionLoop loop;
    Consumer<String> afterEachApplication = region -> { };

    LoopMesh(Policy policy, List<String> regions, int ready) {
        policies.accept("*", policy);
        loop = newLoop();
        for (String region : regions) {
            truth.put(region, counts(ready, ready));
            silent.put(region, false);
            applied.put(region, CiliumServiceConfig.global(true, Affinity.LOCAL).annotations());
        }
        heartbeats();
        regions.forEach(this::report);
        pending.add(loop.own(0));
        deliver();
    }

    private DecisionLoop newLoop() {
        return new DecisionLoop(world, liveness, policies, new ResultTimers(time, pending::add), time,
                new ControlPlaneMetrics(new PrometheusRegistry(), SendListener.NONE));
    }

    /** Time passes second by second: agents that are heard heartbeat every 5 s, timers fire when due. */
    void pass(Duration elapsed) {
        for (long second = 0; second < elapsed.toSeconds(); second++) {
            time.advance(Duration.ofSeconds(1));
            if (!time.instant().isBefore(lastBeat.plus(HEARTBEAT))) {
                heartbeats();
            }
            deliver();
        }
    }

    void health(String region, EndpointCounts counts) {
        truth.put(region, counts);
        report(region);
    }

    void silence(String region, boolean quiet) {
        silent.put(region, quiet);
        if (!quiet) {
            heartbeat(region);
            report(region);
        }
    }

    void policy(Policy policy) {
        policies.accept("*", policy);
        pending.add(loop.policyChanged("*"));
        deliver();
    }

    /**
     * Another replica takes over the Service, knowing only what the topics say: its observer has read every region's
     * latest heartbeat (so it watches their silence) before it owns the partition.
     */
    void handOver() {
        loop.disown(0);
        loop = newLoop();
        truth.keySet().forEach(region -> pending.add(loop.heard(region, Optional.empty())));
        pending.add(loop.own(0));
        deliver();
    }

    /** The region's agent applies the directive it has, if it is heard, and reports it. */
    boolean apply(String region) {
        ServiceDirective directive = unapplied.get(region);
        if (directive == null || silent.get(region)) {
            return false;
        }
        unapplied.remove(region);
        applied.put(region, directive.annotations());
        world.status(SERVICE, region, 0, new DirectiveStatus(region, SERVICE.namespace(), SERVICE.name(),
                directive.version(), DirectiveStatus.Result.APPLIED, "applied", time.instant(), "agent-" + region));
        afterEachApplication.accept(region);
        pending.add(loop.changed(SERVICE));
        deliver();
        return true;
    }

    /** The agents that are heard apply what they have, in a random order, until nothing is left to apply. */
    void settle(Random random) {
        for (int round = 0; round < 8; round++) {
            List<String> order = new ArrayList<>(unapplied.keySet());
            Collections.shuffle(order, random);
            boolean any = false;
            for (String region : order) {
                any |= apply(region);
            }
            if (!any) {
                return;
            }
        }
    }

    /** Deciding again with nothing changed: the directives it would publish (none, at a fixpoint). */
    List<ServiceDirective> decideAgain() {
        pending.add(loop.changed(SERVICE));
        return deliver();
    }

    Optional<ServiceDecision> decision() {
        return loop.decision(SERVICE);
    }

    boolean stale(String region) {
        Policy policy = policies.resolve(SERVICE);
        return liveness.lastHeard(region).map(heard -> heard.plus(policy.staleAfter()).isBefore(time.instant()))
                .orElse(true);
    }

    /** The regions whose clients reach no backend per the routing model, though some region has one. */
    List<String> blackholed() {
        Map<String, EndpointCounts> known = new TreeMap<>();
        world.service(SERVICE).forEach((region, records) -> {
            if (records.health() != null) {
                known.put(region, records.health().endpoints());
            }
        });
        List<String> stranded = new ArrayList<>();
        boolean anyBackend = known.values().stream().anyMatch(counts -> counts.active() + counts.fallback() > 0);
        boolean onlyWithdrawnStale = known.entrySet().stream()
                .filter(entry -> entry.getValue().active() + entry.getValue().fallback() > 0)
                .allMatch(entry -> stale(entry.getKey()) && !exports(applied.get(entry.getKey())));
        if (!anyBackend || onlyWithdrawnStale) {
            return stranded;
        }
        for (String from : known.keySet()) {
            List<ClusterService> view = new ArrayList<>();
            known.forEach((region, counts) -> view.add(new ClusterService(region, config(applied.get(region)),
                    counts.active(), counts.fallback(), counts.exported(), true, Optional.empty())));
            if (config(applied.get(from)).global() && RoutingModel.reachableFrom(from, view).isEmpty()) {
                stranded.add(from);
            }
        }
        return stranded;
    }

    /** Per region, how often its clients were sent away (failovers) and brought home (failbacks). */
    Map<String, int[]> churn() {
        Map<String, int[]> churn = new TreeMap<>();
        Map<String, Boolean> away = new HashMap<>();
        for (ServiceDirective directive : published) {
            boolean remote = "remote".equals(directive.annotations().get(CiliumServiceConfig.AFFINITY));
            boolean was = away.getOrDefault(directive.region(), false);
            int[] counts = churn.computeIfAbsent(directive.region(), region -> new int[2]);
            if (remote && !was) {
                counts[0]++;
            } else if (!remote && was) {
                counts[1]++;
            }
            away.put(directive.region(), remote);
        }
        return churn;
    }

    private void heartbeats() {
        lastBeat = time.instant();
        truth.keySet().forEach(this::heartbeat);
    }

    private void heartbeat(String region) {
        if (!silent.get(region)) {
            pending.add(loop.heard(region, liveness.heard(new AgentHeartbeat(region, "agent-" + region, "test",
                    time.instant(), 1, true), time.instant())));
            deliver();
        }
    }

    private void report(String region) {
        if (!silent.get(region)) {
            world.health(SERVICE, region, 0, new ServiceHealth(region, SERVICE.namespace(), SERVICE.name(),
                    truth.get(region), time.instant(), "agent-" + region));
            pending.add(loop.changed(SERVICE));
            deliver();
        }
    }

    /** What reached the outbox, read back as the observer would: the directives now in force. */
    private List<ServiceDirective> deliver() {
        List<ServiceDirective> directives = new ArrayList<>();
        for (ServiceDirective directive : Pending.directives(pending.commit())) {
            world.directive(SERVICE, directive.region(), 0, directive);
            loop.observed(directive);
            unapplied.put(directive.region(), directive);
            directives.add(directive);
            published.add(directive);
        }
        return directives;
    }

    static EndpointCounts counts(int ready, int total) {
        return new EndpointCounts(ready, ready, 0, ready, Math.max(ready, total));
    }

    static EndpointCounts counts(EndpointTally tally) {
        return new EndpointCounts(tally.ready(), tally.serving(), tally.terminating(), tally.active(), tally.fallback(),
                tally.exported(), tally.total());
    }

    static CiliumServiceConfig config(Map<String, String> annotations) {
        return annotations == null ? CiliumServiceConfig.LOCAL_ONLY
                : CiliumServiceConfig.fromAnnotations(annotations).orElse(CiliumServiceConfig.LOCAL_ONLY);
    }

    static boolean exports(Map<String, String> annotations) {
        CiliumServiceConfig config = config(annotations);
        return config.global() && config.shared();
    }

    /** What the agents reported, per region, and whether each is stale. */
    Map<String, String> health() {
        Map<String, String> health = new TreeMap<>();
        world.service(SERVICE).forEach((region, records) -> health.put(region, (stale(region) ? "stale " : "")
                + (records.health() == null ? "none" : records.health().endpoints().toString())));
        return health;
    }

    Optional<RegionOutcome> outcome(String region) {
        return decision().flatMap(decision -> decision.region(region));
    }

    RegionRecords records(String region) {
        return world.service(SERVICE).get(region);
    }
}
