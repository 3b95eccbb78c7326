package io.meshpilot.controlplane.shard;

import io.meshpilot.controlplane.decisions.DecisionLoop;
import io.meshpilot.controlplane.policy.PinExpiry;
import io.meshpilot.controlplane.practice.PracticeMetrics;
import io.meshpilot.controlplane.practice.PracticeRuns;
import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.policy.PolicyStatuses;
import io.meshpilot.controlplane.policy.PolicyStatuses.PolicyPosition;
import io.meshpilot.controlplane.policy.PolicyValidator;
import io.meshpilot.controlplane.policy.PolicyVerdict;
import io.meshpilot.controlplane.policy.PolicyWarnings;
import io.meshpilot.controlplane.world.RegionLiveness;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.core.routing.CacheTtls;
import io.meshpilot.schemas.ServiceKey;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's state and its handlers, in the manner of Kafka's {@code CoordinatorShard}: the world model
 * (health, directives and statuses of every Service in every region), the regions' liveness, the policy book and
 * its statuses, and the decisions for the partitions this replica owns. It replays typed records and returns what to
 * publish as a {@link Result}; it never touches Kafka, Vert.x or bytes on a wire. The runtime feeds it on one thread.
 */
public final class ControlPlaneShard {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneShard.class);
    /** Dead letters of records read while no replica here owned their partition, kept per partition. */
    static final int KEPT_PER_PARTITION = 1000;

    private final Clock clock;
    private final WorldModel world = new WorldModel();
    private final RegionLiveness liveness = new RegionLiveness();
    private final PolicyBook policies = new PolicyBook();
    private final PolicyStatuses statuses;
    private final DecisionLoop decisions;
    private final DecisionMetrics metrics;
    private final PolicyValidator validator = new PolicyValidator();
    private final Map<Integer, Deque<Output.DeadLetter>> unowned = new HashMap<>();
    private final PracticeRuns practice;

    public ControlPlaneShard(ShardTimers timers, Clock clock, DecisionMetrics metrics, CacheTtls cacheTtls) {
        this(timers, clock, metrics, cacheTtls, PinExpiry.Metrics.NONE);
    }

    public ControlPlaneShard(ShardTimers timers, Clock clock, DecisionMetrics metrics, CacheTtls cacheTtls,
            PinExpiry.Metrics pinMetrics) {
        this(timers, clock, metrics, cacheTtls, pinMetrics, PracticeMetrics.NONE);
    }

    public ControlPlaneShard(ShardTimers timers, Clock clock, DecisionMetrics metrics, CacheTtls cacheTtls,
            PinExpiry.Metrics pinMetrics, PracticeMetrics practiceMetrics) {
        this.clock = clock;
        this.metrics = metrics;
        this.statuses = new PolicyStatuses(clock);
        this.decisions = new DecisionLoop(world, liveness, policies, timers, clock, metrics);
        decisions.cacheTtls(cacheTtls);
        decisions.onOwned(this::sendKeptLetters);
        this.practice = new PracticeRuns(world, policies, timers, clock, practiceMetrics);
        practice.onDrainChanged(decisions::reconsider);
        decisions.practiceDrains(practice::drainedRegions);
        new PinExpiry(policies, timers, clock, pinMetrics).onExpired((scope, at) ->
                statuses.expired(scope, at).and(decisions.policyChanged(scope)));
    }

    /** Replays one record read from the topics; returns what to publish because of it. */
    public Result replay(Inbound record) {
        return replay(record, decisions::changed);
    }

    /**
     * Replays a batch read from the topics: the world takes every record first, then each Service whose health or
     * status changed is decided once (in chunks, as the decision loop's backlog goes), however many of its records
     * the batch holds. A resync of 255 regions reads one record per Service and region: deciding after each would
     * decide every Service 255 times over, each time for 255 regions.
     */
    public Result replay(List<Inbound> batch) {
        Set<ServiceKey> changed = new LinkedHashSet<>();
        Result.Builder result = Result.builder();
        for (Inbound record : batch) {
            result.add(replay(record, service -> {
                changed.add(service);
                return Result.NONE;
            }));
        }
        return result.add(decisions.changedAll(List.copyOf(changed))).build();
    }

    private Result replay(Inbound record, Function<ServiceKey, Result> changed) {
        if (record instanceof Inbound.OfRegion ofRegion && world.addRegion(ofRegion.region())) {
            metrics.regionKnown(ofRegion.region());
        }
        if (record instanceof Inbound.Health health) {
            ServiceKey service = world.health(health.service(), health.region(), health.origin().partition(),
                    health.health().orElse(null));
            // the practice run first: a region degrading lifts the run's drain before the Service is decided again
            Result practiceAborted = practice.health(service, health.region());
            return practiceAborted.and(changed.apply(service));
        }
        if (record instanceof Inbound.Status status) {
            ServiceKey service = world.status(status.service(), status.region(), status.origin().partition(),
                    status.status().orElse(null));
            return status.status().isPresent() ? changed.apply(service)
                    .and(practice.status(service, status.region(), status.status().get())) : Result.NONE;
        }
        if (record instanceof Inbound.Directive directive) {
            ServiceKey service = world.directive(directive.service(), directive.region(),
                    directive.origin().partition(), directive.directive().orElse(null));
            directive.directive().ifPresentOrElse(decisions::observed,
                    () -> decisions.observedWithdrawal(service, directive.region()));
            return directive.directive().map(practice::directive).orElse(Result.NONE);
        }
        if (record instanceof Inbound.Heartbeat heartbeat) {
            return decisions.heard(heartbeat.region(), liveness.heard(heartbeat.heartbeat(), clock.instant()));
        }
        if (record instanceof Inbound.Flawed flawed) {
            return deadLetter(new Output.DeadLetter(flawed.origin(), flawed.key(), flawed.value(), flawed.flaw(),
                    flawed.reason()));
        }
        if (record instanceof Inbound.Policy policy) {
            return policy(policy);
        }
        if (record instanceof Inbound.PolicyAnswered answered) {
            statuses.answered(answered.status());
        }
        if (record instanceof Inbound.Practice run) {
            return practice.record(run.name(), run.origin().partition(), run.origin().offset(), run.document());
        }
        if (record instanceof Inbound.PracticeAnswered answered) {
            return practice.answered(answered.status());
        }
        return Result.NONE;
    }

    /** This replica decides for the partition from now on (it has read what was committed before). */
    public Result own(int partition) {
        return decisions.own(partition);
    }

    /** Another replica decides for these partitions (and, if so, answers policies) now. */
    public void release(List<Integer> partitions, boolean policyAnswers) {
        partitions.forEach(decisions::disown);
        if (policyAnswers) {
            statuses.stopWriting();
            practice.stopWriting();
        }
    }

    /** This replica answers policy records from now on. */
    public Result answerPolicies() {
        LOG.atInfo().log("answering policy records and driving practice runs");
        return statuses.becomeWriter().and(practice.becomeWriter());
    }

    private Result policy(Inbound.Policy record) {
        String scope = record.scope();
        if (record.document().isEmpty()) {
            policies.delete(scope);
            metrics.policy("deleted");
            return statuses.deleted(scope).and(decisions.policyChanged(scope));
        }
        PolicyPosition position = new PolicyPosition(record.origin().partition(), record.origin().offset());
        PolicyVerdict verdict = validator.judge(scope, record.document().get(), world.regions());
        if (verdict instanceof PolicyVerdict.Accepted accepted) {
            policies.accept(scope, accepted.policy(), accepted.expiresAt());
            metrics.policy("accepted");
            List<String> warnings = PolicyWarnings.of(scope, policies, world);
            LOG.atInfo().addKeyValue("scope", scope).addKeyValue("policy", accepted.policy()).log("policy accepted");
            warnings.forEach(warning -> LOG.atWarn().addKeyValue("scope", scope).log(warning));
            return statuses.judged(scope, position, List.of(), warnings).and(decisions.policyChanged(scope));
        }
        PolicyVerdict.Rejected rejected = (PolicyVerdict.Rejected) verdict;
        metrics.policy("rejected");
        LOG.atWarn().addKeyValue("scope", scope).addKeyValue("errors", rejected.errors())
                .log("policy rejected; the last accepted one stays in force");
        return statuses.judged(scope, position, rejected.errors());
    }

    /**
     * A flawed record is dead-lettered by the replica that owns its partition, once it commits. One read while no
     * replica here owned the partition is kept (the last {@value #KEPT_PER_PARTITION} per partition) and sent when
     * this replica takes it: a record may be dead-lettered twice (by the previous owner too), never not at all.
     */
    private Result deadLetter(Output.DeadLetter letter) {
        int partition = letter.origin().partition();
        if (decisions.owns(partition)) {
            return Result.of(letter, () -> { }, () -> deadLetter(letter));
        }
        Deque<Output.DeadLetter> kept = unowned.computeIfAbsent(partition, ignored -> new ArrayDeque<>());
        kept.addLast(letter);
        if (kept.size() > KEPT_PER_PARTITION) {
            kept.removeFirst();
        }
        return Result.NONE;
    }

    private Result sendKeptLetters(int partition) {
        Deque<Output.DeadLetter> kept = unowned.remove(partition);
        Result.Builder result = Result.builder();
        if (kept != null) {
            kept.forEach(letter -> result.add(deadLetter(letter)));
        }
        return result.build();
    }

    public WorldModel world() {
        return world;
    }

    public RegionLiveness liveness() {
        return liveness;
    }

    public PolicyBook policies() {
        return policies;
    }

    public PolicyStatuses statuses() {
        return statuses;
    }

    public PracticeRuns practice() {
        return practice;
    }

    public DecisionLoop decisions() {
        return decisions;
    }

    /** Tells the listener of every Service whose records change (the mesh view's feed). */
    public void onChange(Consumer<ServiceKey> listener) {
        world.onChange(listener);
    }
}
