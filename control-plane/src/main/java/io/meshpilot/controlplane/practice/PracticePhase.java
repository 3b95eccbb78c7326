package io.meshpilot.controlplane.practice;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a practice run is, as its status says ({@code phase}). */
public enum PracticePhase {
    /** The record is invalid; nothing runs. */
    REJECTED,
    /** The record is valid but may not run now (an incident, outside its hours, another run). */
    REFUSED,
    /** Waiting for its {@code startAt}. */
    SCHEDULED,
    /** The region is drained for the run's Services. */
    RUNNING,
    /** The window ended, or the run was aborted: the drain is lifted, the failback is measured. */
    FAILING_BACK,
    COMPLETED,
    ABORTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<PracticePhase> fromWire(String phase) {
        return Arrays.stream(values()).filter(known -> known.wireName().equals(phase)).findFirst();
    }

    /** Whether nothing more happens in this phase. */
    public boolean ended() {
        return this == REJECTED || this == REFUSED || this == COMPLETED || this == ABORTED;
    }
}
