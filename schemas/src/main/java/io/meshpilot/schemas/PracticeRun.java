package io.meshpilot.schemas;

import java.time.Instant;
import java.util.List;

/**
 * A practice run as an operator wrote it (issue 22, point 2): drain {@code region} for {@code durationSeconds} from
 * {@code startAt} (absent: as soon as the control plane reads it), for the Services of {@code services} (scopes as in
 * policies; absent: every Service), only within {@code allowedHours} ({@code HH:MM-HH:MM} in {@code timeZone},
 * default UTC; absent: any time). The record key is the run's name; an optional {@code name} must equal it. A
 * tombstone aborts a run that has not ended.
 */
public record PracticeRun(
        String name,
        String region,
        Instant startAt,
        Integer durationSeconds,
        List<String> services,
        String allowedHours,
        String timeZone) implements MeshRecord {

    public PracticeRun {
        services = services == null ? null : List.copyOf(services);
    }
}
