package io.meshpilot.core.decision;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Why a region got its directive. The wire name appears in directives, Decisions, Events and metrics. */
public enum Reason {
    /** The region is healthy: its clients stay home. */
    LOCAL_HEALTHY,
    /** The region is degraded but not for {@code failoverDelay} yet: its clients stay, its backends are withdrawn. */
    FAILOVER_PENDING,
    /**
     * The region is degraded, as more than the policy's share of its Services are at once while its agent is heard
     * (the signature of a bad measurement): its clients stay until the confirmation window ends, its backends are
     * withdrawn as with {@link #FAILOVER_PENDING}.
     */
    CONFIRMING_MASS_DEGRADATION,
    /** The region is degraded: its clients go to the healthy targets, its backends are withdrawn. */
    LOCAL_DEGRADED,
    /** The region is healthy again but not for {@code failbackDelay} yet: its clients stay away. */
    FAILBACK_PENDING,
    /** The policy drains the region: its clients go remote, its backends are withdrawn. */
    DRAINED,
    /** No region is a healthy target: every region stays local with its backends shared (a global outage). */
    NO_HEALTHY_TARGET,
    /** The policy drains the region, but no healthy target is left: it serves its clients and exports, drain held off. */
    DRAIN_OVERRIDDEN,
    /**
     * The region is degraded and the healthy targets' ready endpoints cannot cover its expected load: its clients stay
     * home (Cilium still sends them remote if no local backend is active), its backends are withdrawn.
     */
    INSUFFICIENT_CAPACITY,
    /**
     * The region is degraded, drained or stale, but its backends are the only ones some region's clients could reach:
     * it keeps (or starts again) exporting them, so nobody is blackholed.
     */
    LAST_RESORT_EXPORT,
    /**
     * The region is degraded or drained, but withdrawing its backends would leave fewer regions exporting the Service
     * than the policy's {@code minExportingRegions}: it keeps exporting (a safety rule the engine never breaks).
     */
    BLOCKED_BY_SAFETY_RULE,
    /** The region's agent is not heard: its last directive stays (fail static). */
    REGION_STALE,
    /** The policy pins the affinity. */
    PINNED_BY_POLICY,
    /** The policy hands the Service back: meshpilot's annotations are removed. */
    UNMANAGED_BY_POLICY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Reason> fromWire(String wireName) {
        return Arrays.stream(values()).filter(reason -> reason.wireName().equals(wireName)).findFirst();
    }
}
