package io.meshpilot.controlplane.practice;

import io.meshpilot.controlplane.decisions.DecisionLoop;
import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.shard.Output;
import io.meshpilot.controlplane.shard.Result;
import io.meshpilot.controlplane.shard.ShardTimers;
import io.meshpilot.controlplane.shard.TimerKey;
import io.meshpilot.controlplane.world.RegionRecords;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.core.decision.Mode;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.Reason;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.FieldError;
import io.meshpilot.schemas.PracticeRunStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Practice runs (issue 22, point 2). Every replica reads the runs and their statuses; the drain of a run is in force
 * (for the decisions of every replica) while its latest status read back says {@code running}. The replica that answers
 * policies also drives the runs, one at a time: it judges each record, starts it at its time (never outside its
 * allowed hours, never while an incident is open), ends its window, and measures, per Service and region, the time from
 * the drain's start to the agents applying its directives, and from the window's end to the failback applied. It aborts
 * a run when a drain would break a safety rule or cannot hold, when another region degrades, or when the run's record
 * is deleted, and reports each phase on the status topic. Part of the shard: plain Java.
 */
public final class PracticeRuns {

    private static final Logger LOG = LoggerFactory.getLogger(PracticeRuns.class);
    /** How long after the longest failback delay in force the failback is waited for before the report is closed. */
    static final Duration FAILBACK_GRACE = Duration.ofSeconds(60);
    /** Services named in a report at most (a status record stays far below Kafka's 1 MiB). */
    static final int REPORTED_SERVICES = 1000;
    /** Directive reasons that say a real incident is open in a region. */
    private static final Set<String> INCIDENT_REASONS = Set.of(Reason.LOCAL_DEGRADED.wireName(),
            Reason.FAILOVER_PENDING.wireName(), Reason.CONFIRMING_MASS_DEGRADATION.wireName(),
            Reason.FAILBACK_PENDING.wireName(), Reason.NO_HEALTHY_TARGET.wireName(),
            Reason.LAST_RESORT_EXPORT.wireName(), Reason.REGION_STALE.wireName());
    /** Directive reasons of a region whose clients are not home yet. */
    private static final Set<String> AWAY_REASONS = Set.of(Reason.DRAINED.wireName(),
            Reason.FAILBACK_PENDING.wireName(), Reason.DRAIN_OVERRIDDEN.wireName());

    /** Where a practice-run record sits: what a status answers. */
    private record Position(int partition, long offset) {
    }

    private record Submitted(Position position, byte[] document) {
    }

    /** The run this replica drives. */
    private static final class Run {
        final PracticePlan plan;
        final Position position;
        PracticePhase phase;
        Instant startedAt;
        Instant windowEndsAt;
        Instant endedAt;
        String reason;
        String detail;
        boolean drainReported;
        final Map<ServiceKey, ServiceRun> services = new LinkedHashMap<>();
        /** The Services whose drain every region applied, and those home again: kept per record, not recounted. */
        final Set<ServiceKey> drained = new java.util.HashSet<>();
        final Set<ServiceKey> home = new java.util.HashSet<>();

        Run(PracticePlan plan, Position position, PracticePhase phase) {
            this.plan = plan;
            this.position = position;
            this.phase = phase;
        }
    }

    private final WorldModel world;
    private final PolicyBook policies;
    private final ShardTimers timers;
    private final Clock clock;
    private final PracticeMetrics metrics;
    private final PracticeValidator validator = new PracticeValidator();
    private final Map<String, Submitted> records = new HashMap<>();
    private final Map<String, PracticePlan> plans = new HashMap<>();
    private final Map<String, PracticeRunStatus> known = new HashMap<>();
    /** The runs whose latest status read back says running: their drains are in force. */
    private final Map<String, PracticePlan> draining = new TreeMap<>();
    private Function<Predicate<ServiceKey>, Result> reconsider = covered -> Result.NONE;
    private boolean writer;
    private Run current;

    public PracticeRuns(WorldModel world, PolicyBook policies, ShardTimers timers, Clock clock,
            PracticeMetrics metrics) {
        this.world = world;
        this.policies = policies;
        this.timers = timers;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Asks for the Services a drain starts or ends for to be decided again. */
    public void onDrainChanged(Function<Predicate<ServiceKey>, Result> decideAgain) {
        this.reconsider = decideAgain;
    }

    /** The regions practice runs drain for the Service now (what the decisions add to the policy's drain list). */
    public Set<String> drainedRegions(ServiceKey service) {
        if (draining.isEmpty()) {
            return Set.of();
        }
        Set<String> regions = new java.util.TreeSet<>();
        draining.values().stream().filter(plan -> plan.covers(service)).forEach(plan -> regions.add(plan.region()));
        return regions;
    }

    /** A practice-run record read: its document, empty for a tombstone (which aborts the run). */
    public Result record(String name, int partition, long offset, Optional<byte[]> document) {
        if (document.isEmpty()) {
            records.remove(name);
            return writer && current != null && current.plan.name().equals(name)
                    ? abort("operator-abort", "the run's record was deleted") : Result.NONE;
        }
        records.put(name, new Submitted(new Position(partition, offset), document.get()));
        return writer ? judge(name) : Result.NONE;
    }

    /** A status read back (every replica): the run's drain is in force while it says running. */
    public Result answered(PracticeRunStatus status) {
        known.put(status.name(), status);
        boolean running = PracticePhase.fromWire(status.phase()).orElse(null) == PracticePhase.RUNNING;
        PracticePlan plan = plans.getOrDefault(status.name(), new PracticePlan(status.name(),
                status.region() == null ? "" : status.region(), Optional.empty(), Duration.ZERO, List.of("*"),
                Optional.empty()));
        boolean changed = running ? draining.put(status.name(), plan) == null
                : draining.remove(status.name()) != null;
        metrics.active(draining.size());
        return changed ? reconsider.apply(plan::covers) : Result.NONE;
    }

    /** This replica drives the runs from now on: answers what is unanswered and resumes a run in progress. */
    public Result becomeWriter() {
        writer = true;
        Result.Builder result = Result.builder();
        List.copyOf(records.keySet()).forEach(name -> result.add(judge(name)));
        for (PracticeRunStatus status : List.copyOf(known.values())) {
            boolean open = PracticePhase.fromWire(status.phase()).map(phase -> !phase.ended()).orElse(false);
            if (open && !records.containsKey(status.name()) && current == null) {
                resume(status, plans.getOrDefault(status.name(), new PracticePlan(status.name(), status.region(),
                        Optional.empty(), Duration.ZERO, List.of("*"), Optional.empty())));
                result.add(abort("operator-abort", "the run's record was deleted"));
            }
        }
        return result.build();
    }

    public void stopWriting() {
        writer = false;
        if (current != null) {
            timers.cancel(key(current.plan.name()));
            current = null;
        }
    }

    public boolean writer() {
        return writer;
    }

    /** A directive read back: measured if it belongs to the run; a drain it cannot make aborts the run. */
    public Result directive(ServiceDirective directive) {
        Run run = current;
        ServiceRun service = measuring(directive.key());
        if (service == null || directive.decidedAt().isBefore(run.startedAt)) {
            return Result.NONE;
        }
        boolean failingBack = run.endedAt != null && !directive.decidedAt().isBefore(run.endedAt);
        RegionRecords records = world.service(directive.key()).get(directive.region());
        service.directive(directive, failingBack, records == null ? null : records.status());
        if (run.phase == PracticePhase.RUNNING && !failingBack) {
            String where = directive.key() + " in " + directive.region();
            if (directive.reason().equals(Reason.BLOCKED_BY_SAFETY_RULE.wireName())) {
                service.blocked("blocked-by-safety-rule in " + directive.region());
                return abort(Reason.BLOCKED_BY_SAFETY_RULE.wireName(), where + ": a safety rule holds the drain");
            }
            if (directive.reason().equals(Reason.DRAIN_OVERRIDDEN.wireName())) {
                service.blocked("drain-overridden in " + directive.region());
                return abort(Reason.DRAIN_OVERRIDDEN.wireName(), where + ": no healthy target to take the traffic");
            }
        }
        return progress(service);
    }

    /** A directive status read: an agent applied something. */
    public Result status(ServiceKey key, String region, DirectiveStatus status) {
        ServiceRun service = measuring(key);
        if (service == null) {
            return Result.NONE;
        }
        service.status(region, status);
        return progress(service);
    }

    /** A health record read: another region degrading while the drain is in force aborts the run. */
    public Result health(ServiceKey key, String region) {
        Run run = current;
        if (!writer || run == null || run.phase != PracticePhase.RUNNING || region.equals(run.plan.region())) {
            return Result.NONE;
        }
        RegionRecords records = world.service(key).get(region);
        ServiceHealth health = records == null ? null : records.health();
        Policy policy = policies.resolve(key);
        if (health != null && policy.mode() == Mode.AUTO
                && !policy.healthy(DecisionLoop.tally(health.endpoints()))) {
            return abort("region-degraded", region + " degraded (" + key + ": " + health.endpoints().ready()
                    + " ready)");
        }
        return Result.NONE;
    }

    private ServiceRun measuring(ServiceKey key) {
        Run run = current;
        if (!writer || run == null || run.startedAt == null || run.phase.ended()) {
            return null;
        }
        return run.services.get(key);
    }

    private Result judge(String name) {
        Submitted submitted = records.get(name);
        PracticeRunStatus answer = known.get(name);
        if (answer != null && answer.runPartition() == submitted.position().partition()
                && answer.runOffset() == submitted.position().offset()) {
            if (validator.judge(name, submitted.document(), Set.of()) instanceof PracticeVerdict.Accepted accepted) {
                plans.putIfAbsent(name, accepted.plan());
                return current == null ? resume(answer, accepted.plan()) : Result.NONE;
            }
            return Result.NONE;
        }
        PracticeVerdict verdict = validator.judge(name, submitted.document(), world.regions());
        if (verdict instanceof PracticeVerdict.Rejected rejected) {
            LOG.atWarn().addKeyValue("run", name).addKeyValue("errors", rejected.errors())
                    .log("practice run rejected");
            return answer(name, null, submitted.position(), PracticePhase.REJECTED, null, null, rejected.errors());
        }
        PracticePlan plan = ((PracticeVerdict.Accepted) verdict).plan();
        plans.put(name, plan);
        if (current != null) {
            return answer(name, plan.region(), submitted.position(), PracticePhase.REFUSED, "run-in-progress",
                    "practice run " + current.plan.name() + " drains " + current.plan.region() + " ("
                            + current.phase.wireName() + ")", List.of());
        }
        Instant now = clock.instant();
        Instant start = plan.startAt().filter(now::isBefore).orElse(now);
        if (!plan.allowedAt(start)) {
            return outsideHours(plan, submitted.position(), start);
        }
        current = new Run(plan, submitted.position(), PracticePhase.SCHEDULED);
        if (start.isAfter(now)) {
            timers.schedule(key(name), Duration.between(now, start), this::start);
            return publish(current);
        }
        return start();
    }

    private Result outsideHours(PracticePlan plan, Position position, Instant start) {
        return answer(plan.name(), plan.region(), position, PracticePhase.REFUSED, "outside-allowed-hours",
                "the window " + start + " to " + start.plus(plan.duration()) + " is not within "
                        + plan.allowedHours().map(AllowedHours::toString).orElse(""), List.of());
    }

    private Result start() {
        Run run = current;
        if (run == null) {
            return Result.NONE;
        }
        Instant now = clock.instant();
        PracticePlan plan = run.plan;
        if (!plan.allowedAt(now)) {
            current = null;
            return outsideHours(plan, run.position, now);
        }
        Optional<String> incident = openIncident();
        if (incident.isPresent()) {
            current = null;
            LOG.atWarn().addKeyValue("run", plan.name()).addKeyValue("incident", incident.get())
                    .log("practice run refused: an incident is open");
            return answer(plan.name(), plan.region(), run.position, PracticePhase.REFUSED, "incident-open",
                    incident.get(), List.of());
        }
        run.phase = PracticePhase.RUNNING;
        run.startedAt = now;
        run.windowEndsAt = now.plus(plan.duration());
        for (ServiceKey service : world.servicesInRegion(plan.region())) {
            if (plan.covers(service) && policies.resolve(service).mode() == Mode.AUTO) {
                run.services.put(service, new ServiceRun(service));
            }
        }
        timers.schedule(key(plan.name()), plan.duration(), () -> endWindow(null, null));
        LOG.atInfo().addKeyValue("run", plan.name()).addKeyValue("region", plan.region())
                .addKeyValue("services", run.services.size()).addKeyValue("until", run.windowEndsAt)
                .log("practice run started");
        return publish(run);
    }

    /** A real incident anywhere in the mesh: a region degraded, or failed over and not back yet. */
    private Optional<String> openIncident() {
        for (ServiceKey service : world.services()) {
            Policy policy = policies.resolve(service);
            for (Map.Entry<String, RegionRecords> entry : world.service(service).entrySet()) {
                RegionRecords records = entry.getValue();
                if (records.health() != null && policy.mode() == Mode.AUTO
                        && !policy.healthy(DecisionLoop.tally(records.health().endpoints()))) {
                    return Optional.of(entry.getKey() + " is degraded for " + service);
                }
                if (records.directive() != null && INCIDENT_REASONS.contains(records.directive().reason())) {
                    return Optional.of(service + " in " + entry.getKey() + ": " + records.directive().reason());
                }
            }
        }
        return Optional.empty();
    }

    private Result abort(String reason, String detail) {
        Run run = current;
        if (run.phase == PracticePhase.SCHEDULED) {
            timers.cancel(key(run.plan.name()));
            run.reason = reason;
            run.detail = detail;
            return finish();
        }
        if (run.phase != PracticePhase.RUNNING) {
            return Result.NONE;
        }
        LOG.atWarn().addKeyValue("run", run.plan.name()).addKeyValue("reason", reason).addKeyValue("detail", detail)
                .log("practice run aborted");
        return endWindow(reason, detail);
    }

    private Result endWindow(String reason, String detail) {
        Run run = current;
        if (run == null || run.phase != PracticePhase.RUNNING) {
            return Result.NONE;
        }
        run.phase = PracticePhase.FAILING_BACK;
        run.endedAt = clock.instant();
        run.reason = reason;
        run.detail = detail;
        Duration longest = run.services.keySet().stream().map(service -> policies.resolve(service).failbackDelay())
                .max(Comparator.naturalOrder()).orElse(Duration.ZERO);
        timers.schedule(key(run.plan.name()), longest.plus(FAILBACK_GRACE), this::finish);
        run.services.values().forEach(service -> track(run, service));
        Result result = publish(run);
        // lifted here at once, not only when the status is read back: ending a drain early is always safe
        if (draining.remove(run.plan.name()) != null) {
            metrics.active(draining.size());
            result = result.and(reconsider.apply(run.plan::covers));
        }
        return current == run && run.home.size() == run.services.size() ? result.and(finish()) : result;
    }

    /**
     * A Service of the run changed: publishes the drain's measurements once every Service's drain is applied
     * everywhere, and closes the run once every Service failed back.
     */
    private Result progress(ServiceRun service) {
        Run run = current;
        track(run, service);
        if (run.phase == PracticePhase.RUNNING && !run.drainReported && run.drained.size() == run.services.size()) {
            run.drainReported = true;
            return publish(run);
        }
        if (run.phase == PracticePhase.FAILING_BACK && run.home.size() == run.services.size()) {
            return finish();
        }
        return Result.NONE;
    }

    private void track(Run run, ServiceRun service) {
        if (service.drained().isPresent()) {
            run.drained.add(service.service());
        } else {
            run.drained.remove(service.service());
        }
        if (run.phase == PracticePhase.FAILING_BACK && home(service)) {
            run.home.add(service.service());
        } else {
            run.home.remove(service.service());
        }
    }

    private boolean home(ServiceRun service) {
        String region = current.plan.region();
        if (!service.drainChanged() && !service.failbackIncludes(region)) {
            return true; // the drain changed nothing for it (its region drained by its policy already, say)
        }
        RegionRecords records = world.service(service.service()).get(region);
        return service.failbackIncludes(region) && service.failedBack().isPresent() && records != null
                && records.directive() != null && !AWAY_REASONS.contains(records.directive().reason());
    }

    private Result finish() {
        Run run = current;
        if (run == null) {
            return Result.NONE;
        }
        timers.cancel(key(run.plan.name()));
        run.phase = run.reason == null ? PracticePhase.COMPLETED : PracticePhase.ABORTED;
        current = null;
        List<Duration> drains = new ArrayList<>();
        List<Duration> failbacks = new ArrayList<>();
        if (run.startedAt != null) {
            run.services.values().forEach(service -> {
                service.drained().ifPresent(at -> drains.add(Duration.between(run.startedAt, at)));
                service.failedBack().ifPresent(at -> failbacks.add(Duration.between(run.endedAt, at)));
            });
        }
        String result = run.phase.wireName();
        LOG.atInfo().addKeyValue("run", run.plan.name()).addKeyValue("result", result)
                .addKeyValue("services", run.services.size()).log("practice run ended");
        Result report = publish(run);
        return new Result(report.outputs(), List.of(() -> {
            metrics.ended(result);
            drains.forEach(metrics::drained);
            failbacks.forEach(metrics::failedBack);
        }), report.onAbort());
    }

    private Result resume(PracticeRunStatus status, PracticePlan plan) {
        PracticePhase phase = PracticePhase.fromWire(status.phase()).orElse(PracticePhase.COMPLETED);
        if (phase.ended()) {
            return Result.NONE;
        }
        Run run = new Run(plan, new Position(status.runPartition(), status.runOffset()), phase);
        run.startedAt = status.startedAt();
        run.windowEndsAt = status.windowEndsAt();
        run.endedAt = status.endedAt();
        run.reason = status.reason();
        run.detail = status.detail();
        current = run;
        if (run.startedAt != null) {
            world.servicesInRegion(plan.region()).stream().filter(plan::covers)
                    .forEach(service -> run.services.put(service, new ServiceRun(service)));
        }
        Instant now = clock.instant();
        switch (phase) {
            case SCHEDULED -> timers.schedule(key(plan.name()), until(now, plan.startAt().orElse(now)), this::start);
            case RUNNING -> timers.schedule(key(plan.name()), until(now, run.windowEndsAt),
                    () -> endWindow(null, null));
            default -> timers.schedule(key(plan.name()), until(now, run.endedAt.plus(FAILBACK_GRACE)),
                    this::finish);
        }
        LOG.atInfo().addKeyValue("run", plan.name()).addKeyValue("phase", phase.wireName())
                .log("practice run resumed (measurements before the hand-over are not in the report)");
        return Result.NONE;
    }

    private static Duration until(Instant now, Instant at) {
        return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
    }

    private Result publish(Run run) {
        List<PracticeRunStatus.ServiceReport> reports = new ArrayList<>();
        Optional<Double> drain = Optional.empty();
        Optional<Double> failback = Optional.empty();
        if (run.startedAt != null) {
            for (ServiceRun service : run.services.values()) {
                if (reports.size() < REPORTED_SERVICES) {
                    reports.add(service.report(run.startedAt, run.endedAt));
                }
                drain = slowest(drain, service.drained().map(at -> ServiceRun.seconds(run.startedAt, at)));
                if (run.endedAt != null) {
                    failback = slowest(failback, service.failedBack().map(at -> ServiceRun.seconds(run.endedAt, at)));
                }
            }
        }
        Instant now = clock.instant();
        PracticeRunStatus status = new PracticeRunStatus(run.plan.name(), run.plan.region(), run.phase.wireName(),
                run.reason, run.detail, null, run.position.partition(), run.position.offset(),
                run.plan.startAt().orElse(null), run.startedAt, run.windowEndsAt, run.endedAt,
                run.phase.ended() ? now : null, drain.orElse(null), failback.orElse(null), reports, now);
        return send(status);
    }

    private static Optional<Double> slowest(Optional<Double> so, Optional<Double> next) {
        if (next.isEmpty()) {
            return so;
        }
        return Optional.of(Math.max(so.orElse(0.0), next.get()));
    }

    private Result answer(String name, String region, Position position, PracticePhase phase, String reason,
            String detail, List<FieldError> errors) {
        PracticeRunStatus status = new PracticeRunStatus(name, region, phase.wireName(), reason, detail, errors,
                position.partition(), position.offset(), null, null, null, null, clock.instant(), null, null, null,
                clock.instant());
        Result sent = send(status);
        return new Result(sent.outputs(), List.of(() -> metrics.ended(phase.wireName())), sent.onAbort());
    }

    private Result send(PracticeRunStatus status) {
        return Result.of(new Output.PracticeReport(status.name(), status), () -> { },
                () -> writer ? send(status) : Result.NONE);
    }

    private static TimerKey key(String name) {
        return new TimerKey.Practice(name);
    }
}
