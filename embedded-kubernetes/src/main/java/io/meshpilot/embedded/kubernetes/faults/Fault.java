package io.meshpilot.embedded.kubernetes.faults;

import java.time.Duration;

/** What the fault proxy does instead of passing a request on: answer an error status itself, or answer late. */
public record Fault(int status, Duration delay) {

    /** Answers with this status and a Kubernetes {@code Status} body; the API server never sees the request. */
    public static Fault status(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a fault's status must be an error (4xx or 5xx), got " + status);
        }
        return new Fault(status, Duration.ZERO);
    }

    /** Passes the request on at once and holds the API server's answer back for {@code delay}. */
    public static Fault delay(Duration delay) {
        if (delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("a fault's delay must be positive, got " + delay);
        }
        return new Fault(0, delay);
    }

    boolean answersItself() {
        return status > 0;
    }
}
