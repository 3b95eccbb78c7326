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
    /** The region is degraded: its clients go to the healthy targets, its backends are withdrawn. */
    LOCAL_DEGRADED,
    /** The region is healthy again but not for {@code failbackDelay} yet: its clients stay away. */
    FAILBACK_PENDING,
    /** The policy drains the region: its clients go remote, its backends are withdrawn. */
    DRAINED,
    /** No region is a healthy target: every region stays local with its backends shared (a global outage). */
    NO_HEALTHY_TARGET,
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
