package io.meshpilot.controlplane.decisions;

import io.meshpilot.controlplane.ControlPlaneMetrics;
import io.meshpilot.controlplane.Timers;
import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.world.RegionLiveness;
import io.meshpilot.controlplane.world.RegionRecords;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.core.decision.DecisionEngine;
import io.meshpilot.core.decision.DecisionInput;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.RegionInput;
import io.meshpilot.core.decision.RegionOutcome;
import io.meshpilot.core.decision.ServiceDecision;
import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.core.routing.CacheTtls;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.schemas.Decision;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.PolicyMode;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Decides for the Services of the partitions this replica owns, whenever something that matters changes: a region's
 * health, a policy, a region falling silent or being heard again, or a failover or failback delay ending (a timer,
 * not a poll). Each decision runs the pure engine with the previous decision, and what changed (a region's
 * annotations or reason) goes to the outbox as directives with the Service's next version, plus one Decision record.
 * Confined to the event loop.
 */
public final class DecisionLoop {

    private final WorldModel world;
    private final RegionLiveness liveness;
    private final PolicyBook policies;
    private final Timers timers;
    private final Clock clock;
    private final Outbox outbox;
    private final Topics topics;
    private final ControlPlaneMetrics metrics;
    private final DecisionEngine engine = new DecisionEngine();
    private final RecordCodec codec = RecordCodec.get();
    private final Set<Integer> owned = new HashSet<>();
    private final Map<ServiceKey, ServiceDecision> decisions = new HashMap<>();
    private final Set<ServiceKey> globalOutages = new HashSet<>();
    private final Map<ServiceKey, Long> reviews = new HashMap<>();
    private final Map<ServiceKey, Map<String, ServiceDirective>> inFlight = new HashMap<>();
    private final Map<String, Long> silenceTimers = new HashMap<>();
    private final Set<String> withdrawing = new HashSet<>();
    private java.util.function.IntConsumer ownedListener = partition -> { };
    private CacheTtls cacheTtls = CacheTtls.NEVER;
    private final Map<ServiceRegion, Map<String, String>> lastApplied = new HashMap<>();
    /** The version of the latest directive published that withdraws a region's export. */
    private final Map<ServiceRegion, Long> withdrawals = new HashMap<>();

    public DecisionLoop(WorldModel world, RegionLiveness liveness, PolicyBook policies, Timers timers, Clock clock,
            Outbox outbox, Topics topics, ControlPlaneMetrics metrics) {
        this.world = world;
        this.liveness = liveness;
        this.policies = policies;
        this.timers = timers;
        this.clock = clock;
        this.outbox = outbox;
        this.topics = topics;
        this.metrics = metrics;
    }

    /** How long each region's Cilium keeps an unreachable cluster's backends ({@code clustermesh.cacheTTL}). */
    public void cacheTtls(CacheTtls perRegion) {
        this.cacheTtls = perRegion;
    }

    /** Also tells this listener of every partition this replica starts deciding for. */
    public void onOwned(java.util.function.IntConsumer listener) {
        this.ownedListener = listener;
    }

    /** This replica now decides for the partition (its state is caught up): decide each of its Services. */
    public void own(int partition) {
        if (owned.add(partition)) {
            metrics.ownedPartitions(owned.size());
            ownedListener.accept(partition);
            world.servicesInPartition(partition).forEach(this::decide);
        }
    }

    /** Another replica decides for the partition now: forget its Services. */
    public void disown(int partition) {
        if (owned.remove(partition)) {
            metrics.ownedPartitions(owned.size());
            world.servicesInPartition(partition).forEach(this::forget);
        }
    }

    public boolean owns(int partition) {
        return owned.contains(partition);
    }

    public Set<Integer> ownedPartitions() {
        return Set.copyOf(owned);
    }

    /** Something about the Service changed (its health in a region): decide again if it is this replica's. */
    public void changed(ServiceKey service) {
        decide(service);
    }

    /** A policy changed: decide again for every owned Service it covers. */
    public void policyChanged(String scope) {
        world.services().stream().filter(service -> PolicyBook.covers(scope, service)).forEach(this::decide);
        world.regions().forEach(this::watchSilence);
    }

    /** A region's leading agent was heard; if it had fallen silent, its Services are decided again. */
    public void heard(String region, Optional<Instant> before) {
        Duration shortest = policies.staleAfters().iterator().next();
        boolean wasSilent = before.isEmpty() || before.get().plus(shortest).isBefore(clock.instant());
        watchSilence(region);
        if (wasSilent) {
            regionChanged(region);
        }
    }

    /** A published directive was read back from its topic: it is in force, no longer in flight. */
    public void observed(ServiceDirective directive) {
        Map<String, ServiceDirective> flying = inFlight.get(directive.key());
        if (flying != null) {
            flying.computeIfPresent(directive.region(), (region, sent) ->
                    directive.version() >= sent.version() ? null : sent);
            if (flying.isEmpty()) {
                inFlight.remove(directive.key());
            }
        }
    }

    /** The transaction carrying these entries was aborted: they were never published; decide those again. */
    public void aborted(List<Outbox.Entry> entries) {
        Set<ServiceKey> again = new HashSet<>();
        for (Outbox.Entry entry : entries) {
            if (entry.record().value() == null && entry.record().topic().endsWith(".directives")) {
                withdrawing.remove(entry.record().key() + "@" + topics.parse(entry.record().topic())
                        .map(Topics.RegionTopic::region).orElse(""));
            }
            entry.directive().ifPresent(directive -> {
                Map<String, ServiceDirective> flying = inFlight.get(directive.key());
                if (flying != null && flying.remove(directive.region(), directive) && flying.isEmpty()) {
                    inFlight.remove(directive.key());
                }
                dropDecision(directive.key());
                again.add(directive.key());
            });
        }
        again.forEach(this::decide);
    }

    /** The decision this replica holds for a Service it owns. */
    public Optional<ServiceDecision> decision(ServiceKey service) {
        return Optional.ofNullable(decisions.get(service));
    }

    private void regionChanged(String region) {
        world.servicesInRegion(region).forEach(this::decide);
    }

    /** Fires when the region has been silent for the next staleAfter in force, to decide its Services again. */
    private void watchSilence(String region) {
        Long timer = silenceTimers.remove(region);
        if (timer != null) {
            timers.cancel(timer);
        }
        Optional<Instant> heard = liveness.lastHeard(region);
        Instant now = clock.instant();
        heard.flatMap(last -> policies.staleAfters().stream().map(last::plus).filter(due -> !due.isBefore(now))
                        .min(Comparator.naturalOrder()))
                .ifPresent(due -> silenceTimers.put(region, timers.after(Duration.between(now, due).plusMillis(1),
                        () -> {
                            silenceTimers.remove(region);
                            regionChanged(region);
                            watchSilence(region);
                        })));
        metrics.staleRegions((int) world.regions().stream().filter(known -> liveness.lastHeard(known)
                .map(last -> last.plus(Policy.DEFAULT.staleAfter()).isBefore(now)).orElse(true)).count());
    }

    private void decide(ServiceKey service) {
        Optional<Integer> partition = world.partition(service);
        if (partition.isEmpty() || !owned.contains(partition.get())) {
            return;
        }
        Map<String, RegionRecords> records = world.service(service);
        List<RegionInput> inputs = new ArrayList<>();
        records.forEach((region, known) -> {
            if (known.health() != null) {
                Applied applied = applied(service, region, known);
                inputs.add(new RegionInput(region, tally(known.health().endpoints()), known.health().observedAt(),
                        liveness.lastHeard(region), applied.annotations(), applied.withdrawalInFlight(),
                        known.health().exportable(), cacheTtl(region)));
            }
        });
        Instant now = clock.instant();
        Policy policy = policies.resolve(service);
        Optional<ServiceDecision> previous = Optional.ofNullable(decisions.get(service))
                .or(() -> PreviousDecision.from(policy, records));
        ServiceDecision decision = engine.decide(new DecisionInput(policy, inputs, previous, now));
        keepDecision(service, decision);
        review(service, decision);
        publishChanges(service, partition.get(), decision, previous, records, now);
        withdrawGoneRegions(service, partition.get(), records);
    }

    /**
     * What the region's agent last reported applied: the annotations of the directive whose version it reported
     * {@code Applied}, remembered while newer ones are in flight; and whether a directive that withdraws the region's
     * export was published since and is not applied yet (make before break counts an export only without one).
     */
    private Applied applied(ServiceKey service, String region, RegionRecords known) {
        ServiceRegion key = new ServiceRegion(service, region);
        ServiceDirective inForce = known.directive();
        DirectiveStatus status = known.status();
        long appliedVersion = status != null && status.result() == DirectiveStatus.Result.APPLIED ? status.version()
                : -1;
        if (inForce != null && appliedVersion == inForce.version()) {
            lastApplied.put(key, inForce.annotations());
        }
        boolean inForceWithdraws = inForce != null && !exports(inForce.annotations())
                && appliedVersion < inForce.version();
        boolean withdrawing = inForceWithdraws || withdrawals.getOrDefault(key, -1L) > appliedVersion;
        return new Applied(Optional.ofNullable(lastApplied.get(key)), withdrawing);
    }

    private static boolean exports(Map<String, String> annotations) {
        return CiliumServiceConfig.fromAnnotations(annotations).map(CiliumServiceConfig::exports).orElse(false);
    }

    /** What a region's agent last applied, and whether a withdrawal is on its way to it. */
    private record Applied(Optional<Map<String, String>> annotations, boolean withdrawalInFlight) {
    }

    private void publishChanges(ServiceKey service, int partition, ServiceDecision decision,
            Optional<ServiceDecision> previous, Map<String, RegionRecords> records, Instant now) {
        List<RegionOutcome> changed = decision.regions().stream().filter(outcome -> !outcome.hold())
                .filter(outcome -> differs(service, outcome)).toList();
        if (changed.isEmpty()) {
            return;
        }
        long version = nextVersion(service);
        Optional<Instant> cause = records.values().stream().map(RegionRecords::health).filter(Objects::nonNull)
                .map(ServiceHealth::observedAt).max(Comparator.naturalOrder());
        for (RegionOutcome outcome : changed) {
            ServiceDirective directive = new ServiceDirective(outcome.region(), service.namespace(), service.name(),
                    version, outcome.annotations(), outcome.reason().wireName(), now, outcome.state().wireName(),
                    outcome.since(), List.copyOf(outcome.awaiting()));
            inFlight.computeIfAbsent(service, key -> new HashMap<>()).put(outcome.region(), directive);
            if (!exports(directive.annotations())) {
                withdrawals.put(new ServiceRegion(service, outcome.region()), version);
            }
            outbox.add(new Outbox.Entry(record(topics.directives(outcome.region()), partition, service, directive),
                    Optional.of(directive), cause));
            count(outcome, previous.flatMap(earlier -> earlier.region(outcome.region())));
        }
        outbox.add(Outbox.Entry.of(record(topics.decisions(), partition, service, audit(service, decision, records,
                now))));
    }

    /** A region where the Service is gone (its health withdrawn) loses its directive too, so compaction drops it. */
    private void withdrawGoneRegions(ServiceKey service, int partition, Map<String, RegionRecords> records) {
        records.forEach((region, known) -> {
            if (known.health() == null && known.directive() != null && withdrawing.add(service + "@" + region)) {
                outbox.add(Outbox.Entry.of(new ProducerRecord<>(topics.directives(region), partition,
                        service.toString(), null)));
            }
        });
    }

    /** A directive tombstone was read back: the region's directive is gone. */
    public void observedWithdrawal(ServiceKey service, String region) {
        withdrawing.remove(service + "@" + region);
    }

    private boolean differs(ServiceKey service, RegionOutcome outcome) {
        return current(service, outcome.region())
                .map(directive -> !directive.annotations().equals(outcome.annotations())
                        || !directive.reason().equals(outcome.reason().wireName())
                        || !Set.copyOf(directive.awaiting()).equals(outcome.awaiting()))
                .orElse(true);
    }

    /** The region's directive in force or in flight, whichever is newer. */
    private Optional<ServiceDirective> current(ServiceKey service, String region) {
        ServiceDirective flying = inFlight.getOrDefault(service, Map.of()).get(region);
        if (flying != null) {
            return Optional.of(flying);
        }
        return Optional.ofNullable(world.service(service).get(region)).map(RegionRecords::directive);
    }

    /** Above every version the Service's directives have had, in force or in flight, in any region. */
    private long nextVersion(ServiceKey service) {
        long inForce = world.service(service).values().stream().map(RegionRecords::directive)
                .filter(Objects::nonNull).mapToLong(ServiceDirective::version).max().orElse(0);
        long flying = inFlight.getOrDefault(service, Map.of()).values().stream()
                .mapToLong(ServiceDirective::version).max().orElse(0);
        return Math.max(inForce, flying) + 1;
    }

    private void count(RegionOutcome outcome, Optional<RegionOutcome> before) {
        metrics.decided(outcome.reason().wireName());
        boolean wasAway = before.map(RegionOutcome::away).orElse(false);
        if (outcome.away() && !wasAway) {
            metrics.failover();
        } else if (!outcome.away() && wasAway) {
            metrics.failback();
        }
    }

    private void review(ServiceKey service, ServiceDecision decision) {
        Long scheduled = reviews.remove(service);
        if (scheduled != null) {
            timers.cancel(scheduled);
        }
        decision.reviewAt().ifPresent(at -> reviews.put(service, timers.after(
                Duration.between(clock.instant(), at).plusMillis(1), () -> {
                    reviews.remove(service);
                    decide(service);
                })));
    }

    private void keepDecision(ServiceKey service, ServiceDecision decision) {
        decisions.put(service, decision);
        if (decision.globalOutage()) {
            globalOutages.add(service);
        } else {
            globalOutages.remove(service);
        }
        metrics.globalOutages(globalOutages.size());
    }

    private void dropDecision(ServiceKey service) {
        decisions.remove(service);
        globalOutages.remove(service);
        metrics.globalOutages(globalOutages.size());
    }

    private void forget(ServiceKey service) {
        dropDecision(service);
        lastApplied.keySet().removeIf(key -> key.service().equals(service));
        withdrawals.keySet().removeIf(key -> key.service().equals(service));
        inFlight.remove(service);
        Long scheduled = reviews.remove(service);
        if (scheduled != null) {
            timers.cancel(scheduled);
        }
    }

    private Decision audit(ServiceKey service, ServiceDecision decision, Map<String, RegionRecords> records,
            Instant now) {
        List<Decision.RegionDecision> regions = new ArrayList<>();
        for (RegionOutcome outcome : decision.regions()) {
            ServiceHealth health = records.get(outcome.region()).health();
            long version = current(service, outcome.region()).map(ServiceDirective::version).orElse(0L);
            regions.add(new Decision.RegionDecision(outcome.region(), health.endpoints(), health.observedAt(),
                    outcome.state().wireName(), outcome.hold(), outcome.annotations(), outcome.reason().wireName(),
                    version));
        }
        Policy policy = decision.policy();
        return new Decision(service.namespace(), service.name(), now, policy.scope(),
                PolicyMode.valueOf(policy.mode().name()), decision.globalOutage(), regions);
    }

    private ProducerRecord<String, byte[]> record(String topic, int partition, ServiceKey service,
            io.meshpilot.schemas.MeshRecord value) {
        return new ProducerRecord<>(topic, partition, service.toString(), codec.encode(value));
    }

    static EndpointTally tally(EndpointCounts counts) {
        return new EndpointTally(counts.ready(), counts.serving(), counts.terminating(), counts.active(),
                counts.fallback(), counts.exported(), counts.total());
    }

    /** How long the region's Cilium keeps an unreachable cluster's backends; empty: for ever. */
    private Optional<Duration> cacheTtl(String region) {
        Duration ttl = cacheTtls.of(region);
        return ttl.isZero() ? Optional.empty() : Optional.of(ttl);
    }

    /** For tests and the API: the Services of owned partitions that match. */
    public List<ServiceKey> ownedServices(Predicate<ServiceKey> filter) {
        return world.services().stream().filter(service -> world.partition(service).map(owned::contains)
                .orElse(false)).filter(filter).toList();
    }
}
