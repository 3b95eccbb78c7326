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
 * @param capacityWindow     how long a region's peak of ready endpoints counts as its expected capacity; zero: only
 *                           the endpoints present count
 * @param capacityFactor     the share of a failed region's expected capacity its targets' ready endpoints must cover
 *                           before its clients are sent to them
 * @param minExportingRegions safety rule: a region that exports stops exporting only while at least this many regions
 *                           still export the Service ({@code blocked-by-safety-rule} otherwise); 0: no rule
 * @param maxWithdrawnRegions safety rule: at most this many regions withdrawn at once across the Services the policy's
 *                           scope covers ({@link MeshWithdrawals}); a withdrawal that would exceed it is held
 *                           ({@code blocked-by-safety-rule}); 0: no rule
 * @param massDegradation    the optional confirmation window before failovers out of a region where many Services
 *                           degrade at once
 */
public record Policy(String scope, Mode mode, int minReadyEndpoints, double minReadyRatio, Duration failoverDelay,
        Duration failbackDelay, Duration staleAfter, List<String> failoverPriority, int maxFailoverRegions,
        Set<String> drain, Duration capacityWindow, double capacityFactor, int minExportingRegions,
        int maxWithdrawnRegions, MassDegradation massDegradation) {

    public static final String DEFAULT_SCOPE = "default";
    public static final Duration DEFAULT_CAPACITY_WINDOW = Duration.ofMinutes(5);
    public static final double DEFAULT_CAPACITY_FACTOR = 1.0;
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
        if (failoverDelay.isNegative() || failbackDelay.isNegative() || capacityWindow.isNegative()) {
            throw new IllegalArgumentException("delays and windows must not be negative");
        }
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("staleAfter must be positive");
        }
        if (maxFailoverRegions < 0) {
            throw new IllegalArgumentException("maxFailoverRegions must not be negative");
        }
        if (!(capacityFactor >= 0.0 && capacityFactor <= 100.0)) {
            throw new IllegalArgumentException("capacityFactor must be within 0..100");
        }
        if (minExportingRegions < 0) {
            throw new IllegalArgumentException("minExportingRegions must not be negative");
        }
        if (maxWithdrawnRegions < 0) {
            throw new IllegalArgumentException("maxWithdrawnRegions must not be negative");
        }
        Objects.requireNonNull(massDegradation, "massDegradation");
    }

    /** A policy without a confirmation window for mass degradation. */
    public Policy(String scope, Mode mode, int minReadyEndpoints, double minReadyRatio, Duration failoverDelay,
            Duration failbackDelay, Duration staleAfter, List<String> failoverPriority, int maxFailoverRegions,
            Set<String> drain, Duration capacityWindow, double capacityFactor, int minExportingRegions,
            int maxWithdrawnRegions) {
        this(scope, mode, minReadyEndpoints, minReadyRatio, failoverDelay, failbackDelay, staleAfter,
                failoverPriority, maxFailoverRegions, drain, capacityWindow, capacityFactor, minExportingRegions,
                maxWithdrawnRegions, MassDegradation.NONE);
    }

    /** A policy with at most the minExportingRegions safety rule. */
    public Policy(String scope, Mode mode, int minReadyEndpoints, double minReadyRatio, Duration failoverDelay,
            Duration failbackDelay, Duration staleAfter, List<String> failoverPriority, int maxFailoverRegions,
            Set<String> drain, Duration capacityWindow, double capacityFactor, int minExportingRegions) {
        this(scope, mode, minReadyEndpoints, minReadyRatio, failoverDelay, failbackDelay, staleAfter,
                failoverPriority, maxFailoverRegions, drain, capacityWindow, capacityFactor, minExportingRegions, 0);
    }

    /** A policy without safety rules. */
    public Policy(String scope, Mode mode, int minReadyEndpoints, double minReadyRatio, Duration failoverDelay,
            Duration failbackDelay, Duration staleAfter, List<String> failoverPriority, int maxFailoverRegions,
            Set<String> drain, Duration capacityWindow, double capacityFactor) {
        this(scope, mode, minReadyEndpoints, minReadyRatio, failoverDelay, failbackDelay, staleAfter,
                failoverPriority, maxFailoverRegions, drain, capacityWindow, capacityFactor, 0);
    }

    /** A policy with the default capacity window and factor. */
    public Policy(String scope, Mode mode, int minReadyEndpoints, double minReadyRatio, Duration failoverDelay,
            Duration failbackDelay, Duration staleAfter, List<String> failoverPriority, int maxFailoverRegions,
            Set<String> drain) {
        this(scope, mode, minReadyEndpoints, minReadyRatio, failoverDelay, failbackDelay, staleAfter,
                failoverPriority, maxFailoverRegions, drain, DEFAULT_CAPACITY_WINDOW, DEFAULT_CAPACITY_FACTOR);
    }

    /**
     * Whether endpoints meet the thresholds: at least {@code minReadyEndpoints} ready, and ready at least
     * {@code minReadyRatio} of the expected capacity (the endpoints present, or more if the region recently had more).
     */
    public boolean healthy(EndpointTally endpoints, int expectedCapacity) {
        int expected = Math.max(endpoints.total(), expectedCapacity);
        double ratio = expected == 0 ? 0.0 : (double) endpoints.ready() / expected;
        return endpoints.ready() >= minReadyEndpoints && ratio >= minReadyRatio;
    }

    /** Whether endpoints meet the thresholds against the endpoints present only. */
    public boolean healthy(EndpointTally endpoints) {
        return healthy(endpoints, 0);
    }

    public Policy withCapacity(Duration window, double factor) {
        return new Policy(scope, mode, minReadyEndpoints, minReadyRatio, failoverDelay, failbackDelay, staleAfter,
                failoverPriority, maxFailoverRegions, drain, window, factor, minExportingRegions,
                maxWithdrawnRegions, massDegradation);
    }

    public Policy withDrain(Set<String> regions) {
        return new Policy(scope, mode, minReadyEndpoints, minReadyRatio, failoverDelay, failbackDelay, staleAfter,
                failoverPriority, maxFailoverRegions, regions, capacityWindow, capacityFactor, minExportingRegions,
                maxWithdrawnRegions, massDegradation);
    }

    public Policy withMinExportingRegions(int regions) {
        return new Policy(scope, mode, minReadyEndpoints, minReadyRatio, failoverDelay, failbackDelay, staleAfter,
                failoverPriority, maxFailoverRegions, drain, capacityWindow, capacityFactor, regions, maxWithdrawnRegions,
                massDegradation);
    }

    public Policy withMaxWithdrawnRegions(int regions) {
        return new Policy(scope, mode, minReadyEndpoints, minReadyRatio, failoverDelay, failbackDelay, staleAfter,
                failoverPriority, maxFailoverRegions, drain, capacityWindow, capacityFactor, minExportingRegions,
                regions, massDegradation);
    }

    public Policy withMassDegradation(MassDegradation confirmation) {
        return new Policy(scope, mode, minReadyEndpoints, minReadyRatio, failoverDelay, failbackDelay, staleAfter,
                failoverPriority, maxFailoverRegions, drain, capacityWindow, capacityFactor, minExportingRegions,
                maxWithdrawnRegions, confirmation);
    }
}
