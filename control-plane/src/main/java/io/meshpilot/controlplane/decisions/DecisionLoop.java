package io.meshpilot.controlplane.decisions;

import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.shard.DecisionMetrics;
import io.meshpilot.controlplane.shard.Output;
import io.meshpilot.controlplane.shard.Result;
import io.meshpilot.controlplane.shard.ShardTimers;
import io.meshpilot.controlplane.shard.TimerKey;
import io.meshpilot.controlplane.world.RegionLiveness;
import io.meshpilot.controlplane.world.RegionRecords;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.core.decision.DecisionEngine;
import io.meshpilot.core.decision.DecisionInput;
import io.meshpilot.core.decision.MeshWithdrawals;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.RegionInput;
import io.meshpilot.core.decision.RegionOutcome;
import io.meshpilot.core.decision.SafetyRule;
import io.meshpilot.core.decision.ServiceDecision;
import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.core.routing.CacheTtls;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.schemas.Decision;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.PolicyMode;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
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

/**
 * Decides for the Services of the partitions this replica owns, whenever something that matters changes: a region's
 * health or status, a policy, a region falling silent or being heard again, or a decision's review time (a keyed
 * timer, not a poll). Each decision runs the pure engine with the previous decision; what changed (a region's
 * annotations, reason or what it waits for) is returned as directives with the Service's next version plus one
 * Decision record. A directive is in flight from then until it is read back; if its transaction aborts, the Service
 * is decided again. Failovers and failbacks are counted when they commit. Part of the shard: plain Java.
 */
public final class DecisionLoop {

    private final WorldModel world;
    private final RegionLiveness liveness;
    private final PolicyBook policies;
    private final ShardTimers timers;
    private final Clock clock;
    private final DecisionMetrics metrics;
    private final DecisionEngine engine = new DecisionEngine();
    private final Set<Integer> owned = new HashSet<>();
    private final Map<ServiceKey, ServiceDecision> decisions = new HashMap<>();
    private final Set<ServiceKey> globalOutages = new HashSet<>();
    /** Per Service, per region: the directive published and not read back yet. */
    private final Map<ServiceKey, Map<String, ServiceDirective>> inFlight = new HashMap<>();
    /**
     * Per Service: the highest version some region may carry that neither the world model nor the directives in
     * flight show: a directive whose transaction was reported aborted (a commit that timed out may have landed) or
     * one tombstoned (the agent leaves the Service's annotations, and the Service may come back). Next versions are
     * above it: two directives of one version could differ, and an agent never applies one below the version its
     * Service carries. Cleared once a newer directive is read back; kept for a Service that never returns (one number).
     */
    private final Map<ServiceKey, Long> versionFloors = new HashMap<>();
    /** Per Service, per region: the annotations its agent last reported applied. */
    private final Map<ServiceKey, PerRegion<Map<String, String>>> lastApplied = new HashMap<>();
    /** Per Service, per region: the version of the latest directive published that withdraws its export. */
    private final Map<ServiceKey, PerRegion<Long>> withdrawals = new HashMap<>();
    private final Set<ServiceRegion> tombstonesInFlight = new HashSet<>();
    /** Every Service's regions withdrawn, for the maxWithdrawnRegions safety rule. */
    private final WithdrawnRegions withdrawn = new WithdrawnRegions();
    /** Owned Services a withdrawal of which that rule holds back: decided again when a region comes back. */
    private final Set<ServiceKey> heldBack = new HashSet<>();
    /** Every region's recent degradations, for the policies' confirmation window for mass degradation. */
    private final MassDegradations massDegradations = new MassDegradations();
    /** Failovers and failbacks from detection to applied everywhere (the failover SLO). */
    private final Incidents incidents = new Incidents();
    /** Services to decide again, a chunk per event-loop task, so a whole partition or region never blocks it. */
    private final Set<ServiceKey> backlog = new java.util.LinkedHashSet<>();
    /** Whether the backlog's next chunk is scheduled. */
    private boolean backlogDue;
    private java.util.function.IntFunction<Result> ownedListener = partition -> Result.NONE;
    private CacheTtls cacheTtls = CacheTtls.NEVER;
    private java.util.function.Function<ServiceKey, Set<String>> practiceDrains = service -> Set.of();

    public DecisionLoop(WorldModel world, RegionLiveness liveness, PolicyBook policies, ShardTimers timers,
            Clock clock, DecisionMetrics metrics) {
        this.world = world;
        this.liveness = liveness;
        this.policies = policies;
        this.timers = timers;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** How long each region's Cilium keeps an unreachable cluster's backends ({@code clustermesh.cacheTTL}). */
    public void cacheTtls(CacheTtls perRegion) {
        this.cacheTtls = perRegion;
    }

    /** The regions practice runs drain for a Service now, added to its policy's drain list. */
    public void practiceDrains(java.util.function.Function<ServiceKey, Set<String>> drains) {
        this.practiceDrains = drains;
    }

    /** Decides again for every owned Service that matches (a practice run's drain started or ended). */
    public Result reconsider(Predicate<ServiceKey> services) {
        return decideAll(world.services().stream().filter(services).toList());
    }

    /** Also asks this listener for what to publish when this replica starts deciding for a partition. */
    public void onOwned(java.util.function.IntFunction<Result> listener) {
        this.ownedListener = listener;
    }

    /** This replica now decides for the partition (its state is caught up): decide each of its Services. */
    public Result own(int partition) {
        if (!owned.add(partition)) {
            return Result.NONE;
        }
        metrics.ownedPartitions(owned.size());
        return ownedListener.apply(partition).and(decideAll(world.servicesInPartition(partition)));
    }

    /**
     * Decides these Services: the first {@value #CHUNK} now, the rest in later event-loop tasks (a keyed timer due
     * at once), so reading the topics and answering the API go on meanwhile.
     */
    private Result decideAll(List<ServiceKey> services) {
        backlog.addAll(services);
        // while a chunk is due, what comes joins the backlog: one task that takes over several partitions or hears
        // several regions again (a replay of the topics) would otherwise decide a chunk for each
        return backlogDue ? Result.NONE : decideBacklog();
    }

    /** Services decided per event-loop task in a mesh of up to three regions. */
    static final int CHUNK = 500;

    /** A decision's cost grows with the Service's regions: a chunk holds about as many Service-regions as at three. */
    static int chunk(int regions) {
        return Math.max(1, Math.min(CHUNK, CHUNK * 3 / Math.max(1, regions)));
    }

    private Result decideBacklog() {
        backlogDue = false;
        Result.Builder result = Result.builder();
        java.util.Iterator<ServiceKey> next = backlog.iterator();
        int chunk = chunk(world.regions().size());
        for (int decided = 0; decided < chunk && next.hasNext(); decided++) {
            ServiceKey service = next.next();
            next.remove();
            result.add(decide(service));
        }
        if (!backlog.isEmpty()) {
            backlogDue = true;
            timers.schedule(new TimerKey.Backlog(), Duration.ZERO, this::decideBacklog);
        }
        return result.build();
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

    /** Something about the Service changed (its health or status in a region): decide again if it is this replica's. */
    public Result changed(ServiceKey service) {
        return decide(service).and(incidentProgress(service));
    }

    /** Something about each of these Services changed: decide them again in chunks, as a backlog goes. */
    public Result changedAll(List<ServiceKey> services) {
        Result.Builder result = Result.builder().add(decideAll(services));
        services.forEach(service -> result.add(incidentProgress(service)));
        return result.build();
    }

    /** A policy changed: decide again for every owned Service it covers. */
    public Result policyChanged(String scope) {
        world.regions().forEach(this::watchSilence);
        return decideAll(world.services().stream().filter(service -> PolicyBook.covers(scope, service)).toList());
    }

    /** A region's leading agent was heard; if it had fallen silent, its Services are decided again. */
    public Result heard(String region, Optional<Instant> before) {
        Duration shortest = policies.staleAfters().iterator().next();
        boolean wasSilent = before.isEmpty() || before.get().plus(shortest).isBefore(clock.instant());
        watchSilence(region);
        return wasSilent ? regionChanged(region) : Result.NONE;
    }

    /** A published directive was read back from its topic: it is in force, no longer in flight. */
    public void observed(ServiceDirective directive) {
        versionFloors.computeIfPresent(directive.key(), (service, version) ->
                directive.version() > version ? null : version);
        Map<String, ServiceDirective> flying = inFlight.get(directive.key());
        if (flying != null) {
            flying.computeIfPresent(directive.region(), (region, sent) ->
                    directive.version() >= sent.version() ? null : sent);
            if (flying.isEmpty()) {
                inFlight.remove(directive.key());
            }
        }
        countWithdrawn(directive.key(), directive.region());
    }

    /** A directive tombstone was read back: the region's directive is gone. */
    public void observedWithdrawal(ServiceKey service, String region) {
        tombstonesInFlight.remove(new ServiceRegion(service, region));
        countWithdrawn(service, region);
    }

    /** The regions withdrawn for some Service, in this replica's view (directives in force and in flight). */
    public Set<String> withdrawnRegions() {
        return withdrawn.regions();
    }

    /**
     * Counts the Service's withdrawn regions again from its directives; if a region came back, the Services whose
     * withdrawal the maxWithdrawnRegions rule holds back are decided again (soon, in chunks).
     */
    private void countWithdrawn(ServiceKey service) {
        Map<String, ServiceDirective> current = new HashMap<>();
        world.service(service).forEach((region, known) -> {
            if (known.directive() != null) {
                current.put(region, known.directive());
            }
        });
        current.putAll(inFlight.getOrDefault(service, Map.of()));
        if (withdrawn.update(service, current.values())) {
            decideHeldBack();
        }
    }

    /** As {@link #countWithdrawn(ServiceKey)}, when only the directive of one region changed. */
    private void countWithdrawn(ServiceKey service, String region) {
        boolean withdrawnNow = current(service, region).map(WithdrawnRegions::withdrawn).orElse(false);
        if (withdrawn.update(service, region, withdrawnNow)) {
            decideHeldBack();
        }
    }

    private void decideHeldBack() {
        if (!heldBack.isEmpty()) {
            timers.schedule(new TimerKey.HeldBack(), Duration.ZERO, () -> decideAll(List.copyOf(heldBack)));
        }
    }

    /** The decision this replica holds for a Service it owns. */
    public Optional<ServiceDecision> decision(ServiceKey service) {
        return Optional.ofNullable(decisions.get(service));
    }

    /** For tests and the API: the Services of owned partitions that match. */
    public List<ServiceKey> ownedServices(Predicate<ServiceKey> filter) {
        return world.services().stream().filter(service -> world.partition(service).map(owned::contains)
                .orElse(false)).filter(filter).toList();
    }

    private Result regionChanged(String region) {
        return decideAll(world.servicesInRegion(region));
    }

    /** Fires when the region has been silent for the next staleAfter in force, to decide its Services again. */
    private void watchSilence(String region) {
        TimerKey key = new TimerKey.Silence(region);
        timers.cancel(key);
        Instant now = clock.instant();
        liveness.lastHeard(region).flatMap(last -> policies.staleAfters().stream().map(last::plus)
                        .filter(due -> !due.isBefore(now)).min(Comparator.naturalOrder()))
                .ifPresent(due -> timers.schedule(key, Duration.between(now, due).plusMillis(1), () -> {
                    Result result = regionChanged(region);
                    watchSilence(region);
                    return result;
                }));
        metrics.staleRegions((int) world.regions().stream().filter(known -> liveness.lastHeard(known)
                .map(last -> last.plus(Policy.DEFAULT.staleAfter()).isBefore(now)).orElse(true)).count());
    }

    private Result decide(ServiceKey service) {
        backlog.remove(service);
        trackDegradation(service);
        Optional<Integer> partition = world.partition(service);
        if (partition.isEmpty() || !owned.contains(partition.get())) {
            return Result.NONE;
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
        Policy policy = withPractice(service, policies.resolve(service));
        Optional<ServiceDecision> previous = Optional.ofNullable(decisions.get(service))
                .or(() -> PreviousDecision.from(policy, records));
        MeshWithdrawals mesh = policy.maxWithdrawnRegions() == 0 ? MeshWithdrawals.NONE
                : withdrawn.seenBy(service, policy.scope());
        ServiceDecision decision = engine.decide(new DecisionInput(policy, inputs, previous, now, mesh,
                confirming(policy, inputs, now)));
        seeStateChanges(service, decision, previous, records);
        keepDecision(service, decision);
        review(service, decision);
        Result result = Result.builder()
                .add(publishChanges(service, partition.get(), decision, previous, records, now))
                .add(withdrawGoneRegions(service, partition.get(), records))
                .build();
        countWithdrawn(service);
        return result;
    }

    private Policy withPractice(ServiceKey service, Policy policy) {
        Set<String> drained = practiceDrains.apply(service);
        if (drained.isEmpty() || policy.drain().containsAll(drained)) {
            return policy;
        }
        Set<String> drain = new HashSet<>(policy.drain());
        drain.addAll(drained);
        return policy.withDrain(drain);
    }

    /**
     * What the region's agent last reported applied: the annotations of the directive whose version it reported
     * {@code Applied} (in force, or still in flight when its status is read before the directive itself), remembered
     * while newer ones are in flight; and whether a directive that withdraws the region's export was published since
     * and is not applied yet (make before break counts an export only without one).
     */
    private Applied applied(ServiceKey service, String region, RegionRecords known) {
        ServiceDirective inForce = known.directive();
        DirectiveStatus status = known.status();
        long appliedVersion = status != null && status.result() == DirectiveStatus.Result.APPLIED ? status.version()
                : -1;
        ServiceDirective flying = inFlight.getOrDefault(service, Map.of()).get(region);
        for (ServiceDirective reported : new ServiceDirective[] {inForce, flying}) {
            if (reported != null && appliedVersion == reported.version()) {
                lastApplied.computeIfAbsent(service, key -> new PerRegion<>()).put(region, reported.annotations());
            }
        }
        boolean inForceWithdraws = inForce != null && !exports(inForce.annotations())
                && appliedVersion < inForce.version();
        PerRegion<Long> withdrawalsOf = withdrawals.get(service);
        Long withdrawal = withdrawalsOf == null ? null : withdrawalsOf.get(region);
        boolean withdrawing = inForceWithdraws || (withdrawal != null && withdrawal > appliedVersion);
        PerRegion<Map<String, String>> applied = lastApplied.get(service);
        return new Applied(Optional.ofNullable(applied == null ? null : applied.get(region)), withdrawing);
    }

    private static boolean exports(Map<String, String> annotations) {
        return CiliumServiceConfig.fromAnnotations(annotations).map(CiliumServiceConfig::exports).orElse(false);
    }

    /** Whether the Service is degraded in each region where it is, by its policy, and since which health record. */
    private void trackDegradation(ServiceKey service) {
        Policy policy = policies.resolve(service);
        Map<String, Optional<Instant>> degraded = new HashMap<>();
        world.service(service).forEach((region, known) -> {
            if (known.health() != null) {
                degraded.put(region, policy.healthy(tally(known.health().endpoints())) ? Optional.empty()
                        : Optional.of(known.health().observedAt()));
            }
        });
        massDegradations.update(service, degraded);
    }

    /** The regions, heard within staleAfter, whose mass degradation waits for confirmation, and until when. */
    private Map<String, Instant> confirming(Policy policy, List<RegionInput> inputs, Instant now) {
        if (!policy.massDegradation().enabled()) {
            return Map.of();
        }
        Map<String, Instant> confirming = new HashMap<>();
        for (RegionInput region : inputs) {
            if (!region.stale(now, policy.staleAfter())) {
                massDegradations.confirmingUntil(region.region(), policy.massDegradation(), now)
                        .ifPresent(until -> confirming.put(region.region(), until));
            }
        }
        return confirming;
    }

    /** What a region's agent last applied, and whether a withdrawal is on its way to it. */
    private record Applied(Optional<Map<String, String>> annotations, boolean withdrawalInFlight) {
    }

    private Result publishChanges(ServiceKey service, int partition, ServiceDecision decision,
            Optional<ServiceDecision> previous, Map<String, RegionRecords> records, Instant now) {
        List<RegionOutcome> changed = decision.regions().stream().filter(outcome -> !outcome.hold())
                .filter(outcome -> differs(service, outcome)).toList();
        if (changed.isEmpty()) {
            return safetyRulesChanged(decision, previous)
                    ? Result.builder().output(new Output.DecisionLog(partition, audit(service, decision, records, now)))
                            .build()
                    : Result.NONE;
        }
        long version = nextVersion(service);
        Optional<Instant> cause = records.values().stream().map(RegionRecords::health).filter(Objects::nonNull)
                .map(ServiceHealth::observedAt).max(Comparator.naturalOrder());
        Result.Builder result = Result.builder();
        List<ServiceDirective> sent = new ArrayList<>();
        for (RegionOutcome outcome : changed) {
            ServiceDirective directive = new ServiceDirective(outcome.region(), service.namespace(), service.name(),
                    version, outcome.annotations(), outcome.reason().wireName(), now, outcome.state().wireName(),
                    outcome.since(), List.copyOf(outcome.awaiting()));
            inFlight.computeIfAbsent(service, key -> new HashMap<>()).put(outcome.region(), directive);
            if (!exports(directive.annotations())) {
                withdrawals.computeIfAbsent(service, key -> new PerRegion<>()).put(outcome.region(), version);
            }
            sent.add(directive);
            result.output(new Output.Directive(partition, directive, cause));
            Optional<RegionOutcome> before = previous.flatMap(earlier -> earlier.region(outcome.region()));
            result.onCommit(() -> count(outcome, before));
        }
        Set<String> regions = new java.util.TreeSet<>();
        changed.forEach(outcome -> regions.add(outcome.region()));
        for (RegionOutcome outcome : changed) {
            incidentKind(outcome, previous.flatMap(earlier -> earlier.region(outcome.region()))).ifPresent(kind ->
                    result.onCommit(() -> incidentCommitted(service, outcome.region(), kind, version, regions)));
        }
        result.output(new Output.DecisionLog(partition, audit(service, decision, records, now)));
        return result.onAbort(() -> unsent(service, sent)).build();
    }

    /** The transaction carrying these directives aborted: they were never published; decide the Service again. */
    private Result unsent(ServiceKey service, List<ServiceDirective> sent) {
        Map<String, ServiceDirective> flying = inFlight.get(service);
        for (ServiceDirective directive : sent) {
            versionFloors.merge(service, directive.version(), Math::max);
            if (flying != null) {
                flying.remove(directive.region(), directive);
            }
            PerRegion<Long> withdrawn = withdrawals.get(service);
            if (withdrawn != null) {
                withdrawn.remove(directive.region(), directive.version());
                if (withdrawn.isEmpty()) {
                    withdrawals.remove(service);
                }
            }
        }
        if (flying != null && flying.isEmpty()) {
            inFlight.remove(service);
        }
        countWithdrawn(service);
        dropDecision(service);
        return decide(service);
    }

    /** A region where the Service is gone (its health withdrawn) loses its directive too, so compaction drops it. */
    private Result withdrawGoneRegions(ServiceKey service, int partition, Map<String, RegionRecords> records) {
        Result.Builder result = Result.builder();
        records.forEach((region, known) -> {
            ServiceRegion target = new ServiceRegion(service, region);
            if (known.health() == null && known.directive() != null && tombstonesInFlight.add(target)) {
                versionFloors.merge(service, known.directive().version(), Math::max);
                result.output(new Output.DirectiveTombstone(partition, target));
                result.onAbort(() -> {
                    tombstonesInFlight.remove(target);
                    return decide(service);
                });
            }
        });
        return result.build();
    }

    /**
     * Whether a region is now held back by another safety rule, or by none, with the same directive: the agents have
     * nothing new to apply, but the decision log must say which rule holds the region now.
     */
    private static boolean safetyRulesChanged(ServiceDecision decision, Optional<ServiceDecision> previous) {
        return decision.regions().stream().filter(outcome -> !outcome.hold()).anyMatch(outcome -> !outcome.safetyRule()
                .equals(previous.flatMap(earlier -> earlier.region(outcome.region()))
                        .flatMap(RegionOutcome::safetyRule)));
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

    /** Above every version the Service's directives have had, in force, in flight, tombstoned or maybe published. */
    private long nextVersion(ServiceKey service) {
        long inForce = world.service(service).values().stream().map(RegionRecords::directive)
                .filter(Objects::nonNull).mapToLong(ServiceDirective::version).max().orElse(0);
        long flying = inFlight.getOrDefault(service, Map.of()).values().stream()
                .mapToLong(ServiceDirective::version).max().orElse(0);
        return Math.max(Math.max(inForce, flying), versionFloors.getOrDefault(service, 0L)) + 1;
    }

    /** Remembers the health record by which each region's state was judged anew (an incident's detection). */
    private void seeStateChanges(ServiceKey service, ServiceDecision decision, Optional<ServiceDecision> previous,
            Map<String, RegionRecords> records) {
        for (RegionOutcome outcome : decision.regions()) {
            boolean changedState = previous.flatMap(earlier -> earlier.region(outcome.region()))
                    .map(before -> before.state() != outcome.state()).orElse(true);
            RegionRecords known = records.get(outcome.region());
            if ((changedState || incidents.stateSeenAt(service, outcome.region()).isEmpty()) && known != null
                    && known.health() != null) {
                incidents.stateSeen(service, outcome.region(), known.health().observedAt());
            }
        }
    }

    /** A failover (clients sent away from a degraded region) or failback (back home, healthy), if this is one. */
    private static Optional<String> incidentKind(RegionOutcome outcome, Optional<RegionOutcome> before) {
        boolean wasAway = before.map(RegionOutcome::away).orElse(false);
        if (outcome.away() && !wasAway && outcome.state() == io.meshpilot.core.decision.RegionState.DEGRADED) {
            return Optional.of("failover");
        }
        if (!outcome.away() && wasAway && outcome.state() == io.meshpilot.core.decision.RegionState.HEALTHY) {
            return Optional.of("failback");
        }
        return Optional.empty();
    }

    private void incidentCommitted(ServiceKey service, String region, String kind, long version,
            Set<String> regions) {
        Instant decidedAt = clock.instant();
        Instant detectedAt = incidents.stateSeenAt(service, region).orElse(decidedAt);
        Incidents.Open incident = new Incidents.Open(region, kind, version, detectedAt, decidedAt, Set.copyOf(regions),
                new java.util.TreeMap<>());
        metrics.incidentDecided(kind, incident.detectionToDecision());
        incidents.committed(service, incident);
        timers.schedule(new TimerKey.IncidentProgress(service), Duration.ZERO, () -> incidentProgress(service));
    }

    /**
     * The incidents of the Service now applied everywhere: their latencies observed and one Decision record each
     * (the decision in force, with the incident).
     */
    private Result incidentProgress(ServiceKey service) {
        if (!incidents.anyOpen(service)) {
            return Result.NONE;
        }
        Map<String, RegionRecords> records = world.service(service);
        List<Incidents.Open> done = incidents.progress(service, records);
        Result.Builder result = Result.builder();
        ServiceDecision decision = decisions.get(service);
        Optional<Integer> partition = world.partition(service);
        for (Incidents.Open incident : done) {
            Runnable observe = () -> metrics.incidentApplied(incident.kind(), incident.decisionToApplied(),
                    incident.detectionToApplied());
            if (decision == null || partition.isEmpty()) {
                observe.run();
                continue;
            }
            Decision base = audit(service, decision, records, clock.instant());
            result.output(new Output.DecisionLog(partition.get(), new Decision(base.namespace(), base.service(),
                    base.decidedAt(), base.policyScope(), base.mode(), base.globalOutage(), base.regions(),
                    incident.report())));
            result.onCommit(observe);
            result.onAbort(() -> {
                incidents.committed(service, incident);
                return incidentProgress(service);
            });
        }
        return result.build();
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
        TimerKey key = new TimerKey.Review(service);
        timers.cancel(key);
        decision.reviewAt().ifPresent(at -> timers.schedule(key, Duration.between(clock.instant(), at).plusMillis(1),
                () -> decide(service)));
    }

    private void keepDecision(ServiceKey service, ServiceDecision decision) {
        decisions.put(service, decision);
        if (decision.regions().stream().anyMatch(outcome -> outcome.safetyRule()
                .filter(SafetyRule.MAX_WITHDRAWN_REGIONS::equals).isPresent())) {
            heldBack.add(service);
        } else {
            heldBack.remove(service);
        }
        if (decision.globalOutage()) {
            globalOutages.add(service);
        } else {
            globalOutages.remove(service);
        }
        metrics.globalOutages(globalOutages.size());
    }

    private void dropDecision(ServiceKey service) {
        decisions.remove(service);
        heldBack.remove(service);
        globalOutages.remove(service);
        metrics.globalOutages(globalOutages.size());
    }

    private void forget(ServiceKey service) {
        dropDecision(service);
        incidents.forget(service);
        lastApplied.remove(service);
        withdrawals.remove(service);
        inFlight.remove(service);
        timers.cancel(new TimerKey.Review(service));
    }

    private Decision audit(ServiceKey service, ServiceDecision decision, Map<String, RegionRecords> records,
            Instant now) {
        List<Decision.RegionDecision> regions = new ArrayList<>();
        for (RegionOutcome outcome : decision.regions()) {
            RegionRecords known = records.get(outcome.region());
            ServiceHealth health = known == null ? null : known.health();
            long version = current(service, outcome.region()).map(ServiceDirective::version).orElse(0L);
            regions.add(new Decision.RegionDecision(outcome.region(), health == null ? null : health.endpoints(),
                    health == null ? null : health.observedAt(),
                    outcome.state().wireName(), outcome.hold(), outcome.annotations(), outcome.reason().wireName(),
                    version, outcome.safetyRule().map(SafetyRule::wireName).orElse(null)));
        }
        Policy policy = decision.policy();
        return new Decision(service.namespace(), service.name(), now, policy.scope(),
                PolicyMode.valueOf(policy.mode().name()), decision.globalOutage(), regions);
    }

    public static EndpointTally tally(EndpointCounts counts) {
        return new EndpointTally(counts.ready(), counts.serving(), counts.terminating(), counts.active(),
                counts.fallback(), counts.exported(), counts.total());
    }

    /** How long the region's Cilium keeps an unreachable cluster's backends; empty: for ever. */
    private Optional<Duration> cacheTtl(String region) {
        Duration ttl = cacheTtls.of(region);
        return ttl.isZero() ? Optional.empty() : Optional.of(ttl);
    }
}
