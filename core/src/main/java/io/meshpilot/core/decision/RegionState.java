package io.meshpilot.core.decision;

import java.util.Locale;

/** How the engine judged a region for a Service. */
public enum RegionState {
    /** Enough ready endpoints: keeps its traffic and may take others'. */
    HEALTHY,
    /** Below a threshold of the policy. */
    DEGRADED,
    /** Emptied for maintenance by the policy. */
    DRAINED,
    /** Its agent was not heard within staleAfter: what it last reported is unknown now. */
    STALE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
