package io.meshpilot.core.decision;

/** Why a region got its directive. The wire name appears in directives, Decisions, Events and metrics. */
public enum Reason {
    /** The region is healthy: its clients stay home. */
    LOCAL_HEALTHY("local-healthy"),
    /** The region is degraded and a healthy region takes its traffic. */
    LOCAL_DEGRADED("local-degraded"),
    /** No region is healthy: everything stays local and shared, a global outage. */
    NO_HEALTHY_TARGET("no-healthy-target");

    private final String wireName;

    Reason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
