package io.meshpilot.core.decision;

import io.meshpilot.core.health.EndpointTally;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The rules the engine applies to one Service, every field resolved (SPEC §5).
 *
 * @param scope              the policy's scope, or {@code default} when no policy applies
 * @param failoverPriority   the regions that may take failed-over traffic, in order; empty means every region, by name
 * @param maxFailoverRegions how many of them export their backends at most; 0 means no limit
 * @param drain              regions to empty for maintenance
 */
public record Policy(String scope, Mode mode, int minReadyEndpoints, double minReadyRatio, Duration failoverDelay,
        Duration failbackDelay, Duration staleAfter, List<String> failoverPriority, int maxFailoverRegions,
        Set<String> drain) {

    public static final String DEFAULT_SCOPE = "default";
    public static final Policy DEFAULT = new Policy(DEFAULT_SCOPE, Mode.AUTO, 1, 0.0, Duration.ZERO,
            Duration.ofSeconds(30), Duration.ofSeconds(15), List.of(), 0, Set.of());

    public Policy {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(mode, "mode");
        failoverPriority = List.copyOf(failoverPriority);
        drain = Set.copyOf(drain);
        if (minReadyEndpoints < 1) {
            throw new IllegalArgumentException("minReadyEndpoints must be at least 1");
        }
        if (minReadyRatio < 0.0 || minReadyRatio > 1.0) {
            throw new IllegalArgumentException("minReadyRatio must be within 0..1");
        }
        if (failoverDelay.isNegative() || failbackDelay.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("staleAfter must be positive");
        }
        if (maxFailoverRegions < 0) {
            throw new IllegalArgumentException("maxFailoverRegions must not be negative");
        }
    }

    /** Whether endpoints meet the thresholds: at least {@code minReadyEndpoints} ready and the ready ratio. */
    public boolean healthy(EndpointTally endpoints) {
        return endpoints.ready() >= minReadyEndpoints && endpoints.readyRatio() >= minReadyRatio;
    }
}
