package io.meshpilot.schemas;

import java.time.Instant;
import java.util.List;

/**
 * The control plane's answer to a practice run and its report, on {@code P.practice-status} keyed by the run's name,
 * written at each phase: {@code rejected} (the record is invalid: {@code errors}), {@code refused} (it may not run
 * now: {@code reason}), {@code scheduled}, {@code running} (the region is drained), {@code failing-back} (the window
 * ended or the run was aborted: {@code reason}), then {@code completed} or {@code aborted} with what was measured.
 * {@code runPartition} and {@code runOffset} name the practice-run record it answers.
 */
public record PracticeRunStatus(
        String name,
        String region,
        String phase,
        String reason,
        String detail,
        List<FieldError> errors,
        int runPartition,
        long runOffset,
        Instant startAt,
        Instant startedAt,
        Instant windowEndsAt,
        Instant endedAt,
        Instant completedAt,
        Double drainSeconds,
        Double failbackSeconds,
        List<ServiceReport> services,
        Instant observedAt) implements MeshRecord {

    public PracticeRunStatus {
        errors = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
        services = services == null || services.isEmpty() ? null : List.copyOf(services);
    }

    /**
     * One Service's part: per region, when its agent applied the drain's directive and the failback's, and how long
     * after the drain began (or the window ended) that was; {@code blocked} says what stopped it, if anything.
     */
    public record ServiceReport(String namespace, String service, List<RegionTime> drain, List<RegionTime> failback,
            String blocked) {

        public ServiceReport {
            drain = List.copyOf(drain);
            failback = List.copyOf(failback);
        }
    }

    /** A region's directive of one phase: applied at (null: not applied), seconds after the phase began. */
    public record RegionTime(String region, long version, Instant appliedAt, Double seconds) {
    }
}
