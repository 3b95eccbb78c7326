package io.meshpilot.core.decision;

import java.time.Duration;
import java.util.Objects;

/**
 * The optional confirmation window for a mass degradation: when more than {@code share} of a region's Services
 * degrade within {@code within} of each other while the region's agent is heard, failovers out of that region wait
 * until {@code confirmFor} after the degradation that crossed the share (the signature of a bad measurement, not an
 * outage). A real regional outage fails over up to {@code confirmFor} later.
 *
 * @param share      the share of the region's Services (0 to 1, exclusive of 0); 0: no confirmation window
 * @param within     how close together the degradations must be
 * @param confirmFor how long failovers wait, from the degradation that crossed the share; at least {@code within}
 */
public record MassDegradation(double share, Duration within, Duration confirmFor) {

    public static final Duration DEFAULT_WITHIN = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONFIRM_FOR = Duration.ofSeconds(30);
    public static final MassDegradation NONE = new MassDegradation(0.0, DEFAULT_WITHIN, DEFAULT_CONFIRM_FOR);

    public MassDegradation {
        Objects.requireNonNull(within, "within");
        Objects.requireNonNull(confirmFor, "confirmFor");
        if (!(share >= 0.0 && share <= 1.0)) {
            throw new IllegalArgumentException("the mass degradation share must be within 0..1");
        }
        if (within.isNegative() || within.isZero() || confirmFor.compareTo(within) < 0) {
            throw new IllegalArgumentException("the mass degradation window must be positive and the confirmation "
                    + "at least as long");
        }
    }

    public boolean enabled() {
        return share > 0.0;
    }
}
