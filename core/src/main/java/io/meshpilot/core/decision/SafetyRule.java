package io.meshpilot.core.decision;

/** A policy's safety rule that held a change back ({@code blocked-by-safety-rule}); its wire name is its field's. */
public enum SafetyRule {
    MIN_EXPORTING_REGIONS("minExportingRegions"),
    MAX_WITHDRAWN_REGIONS("maxWithdrawnRegions");

    private final String wireName;

    SafetyRule(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
