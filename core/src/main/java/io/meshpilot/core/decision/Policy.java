package io.meshpilot.core.decision;

/** The rules the engine applies to one Service, every field resolved to a value. */
public record Policy(int minReadyEndpoints, double minReadyRatio) {

    public static final Policy DEFAULT = new Policy(1, 0.0);

    public Policy {
        if (minReadyEndpoints < 1) {
            throw new IllegalArgumentException("minReadyEndpoints must be at least 1");
        }
        if (minReadyRatio < 0.0 || minReadyRatio > 1.0) {
            throw new IllegalArgumentException("minReadyRatio must be within 0..1");
        }
    }
}
