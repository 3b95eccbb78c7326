package io.meshpilot.controlplane.practice;

import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.PracticeRunStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One Service's part of a practice run: per region, the latest directive of each phase (the drain, from its start;
 * the failback, from the window's end) and when the region's agent reported that version, or a newer one, applied.
 */
final class ServiceRun {

    /** A region's latest directive of a phase, and when it was applied (null: not yet). */
    private record Step(long version, Instant appliedAt) {
    }

    private final ServiceKey service;
    private final Map<String, Step> drain = new TreeMap<>();
    private final Map<String, Step> failback = new TreeMap<>();
    private String blocked;

    ServiceRun(ServiceKey service) {
        this.service = service;
    }

    ServiceKey service() {
        return service;
    }

    /** A directive read back; {@code status} is the region's latest, which may already report it applied. */
    void directive(ServiceDirective directive, boolean failingBack, DirectiveStatus status) {
        Map<String, Step> steps = failingBack ? failback : drain;
        Step previous = steps.get(directive.region());
        if (previous != null && previous.version() >= directive.version()) {
            return;
        }
        steps.put(directive.region(), new Step(directive.version(), null));
        status(directive.region(), status);
    }

    /** The region's agent reported a status. */
    void status(String region, DirectiveStatus status) {
        if (status == null || status.result() != DirectiveStatus.Result.APPLIED) {
            return;
        }
        for (Map<String, Step> steps : List.of(drain, failback)) {
            Step step = steps.get(region);
            if (step != null && step.appliedAt() == null && status.version() >= step.version()) {
                steps.put(region, new Step(step.version(), status.observedAt()));
            }
        }
    }

    void blocked(String why) {
        if (blocked == null) {
            blocked = why;
        }
    }

    /** When the drain was applied in every region it changed, if it was (and changed any). */
    Optional<Instant> drained() {
        return done(drain);
    }

    Optional<Instant> failedBack() {
        return done(failback);
    }

    /** Whether the drain sent this Service any directive. */
    boolean drainChanged() {
        return !drain.isEmpty();
    }

        boolean failbackIncludes(String region) {
        return failback.containsKey(region);
    }

    private static Optional<Instant> done(Map<String, Step> steps) {
        if (steps.isEmpty() || steps.values().stream().anyMatch(step -> step.appliedAt() == null)) {
            return Optional.empty();
        }
        return steps.values().stream().map(Step::appliedAt).max(Instant::compareTo);
    }

    PracticeRunStatus.ServiceReport report(Instant startedAt, Instant endedAt) {
        return new PracticeRunStatus.ServiceReport(service.namespace(), service.name(), times(drain, startedAt),
                endedAt == null ? List.of() : times(failback, endedAt), blocked);
    }

    private static List<PracticeRunStatus.RegionTime> times(Map<String, Step> steps, Instant from) {
        List<PracticeRunStatus.RegionTime> times = new ArrayList<>();
        steps.forEach((region, step) -> times.add(new PracticeRunStatus.RegionTime(region, step.version(),
                step.appliedAt(), step.appliedAt() == null ? null : seconds(from, step.appliedAt()))));
        return times;
    }

    static double seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis()) / 1000.0;
    }
}
