package io.meshpilot.core.decision;

import java.util.Locale;

/** How the engine judged a region for a Service. */
public enum RegionState {
    /** Enough ready endpoints: keeps its traffic and may take others'. */
    HEALTHY,
    /** Too few ready endpoints. */
    DEGRADED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
