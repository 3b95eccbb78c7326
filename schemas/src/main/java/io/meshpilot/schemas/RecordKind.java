package io.meshpilot.schemas;

import java.util.Arrays;
import java.util.Optional;

/** The record kinds of SPEC §4, each with its Java record and its JSON Schema. */
public enum RecordKind {
    SERVICE_HEALTH("ServiceHealth", ServiceHealth.class, "service-health"),
    AGENT_HEARTBEAT("AgentHeartbeat", AgentHeartbeat.class, "agent-heartbeat"),
    SERVICE_DIRECTIVE("ServiceDirective", ServiceDirective.class, "service-directive"),
    DIRECTIVE_STATUS("DirectiveStatus", DirectiveStatus.class, "directive-status"),
    TRAFFIC_POLICY("TrafficPolicy", TrafficPolicy.class, "traffic-policy"),
    POLICY_STATUS("PolicyStatus", PolicyStatus.class, "policy-status"),
    DECISION("Decision", Decision.class, "decision"),
    PRACTICE_RUN("PracticeRun", PracticeRun.class, "practice-run"),
    PRACTICE_RUN_STATUS("PracticeRunStatus", PracticeRunStatus.class, "practice-run-status");

    private final String kindName;
    private final Class<? extends MeshRecord> recordClass;
    private final String schemaName;

    RecordKind(String kindName, Class<? extends MeshRecord> recordClass, String schemaName) {
        this.kindName = kindName;
        this.recordClass = recordClass;
        this.schemaName = schemaName;
    }

    /** The value of the {@code kind} field on the wire. */
    public String kindName() {
        return kindName;
    }

    public Class<? extends MeshRecord> recordClass() {
        return recordClass;
    }

    /** The schema's file name, e.g. {@code service-health.schema.json}. */
    public String schemaFile() {
        return schemaName + ".schema.json";
    }

    private static final RecordKind[] KINDS = values();

    public static RecordKind of(Class<? extends MeshRecord> recordClass) {
        for (RecordKind kind : KINDS) { // a loop: this is asked for every record decoded
            if (kind.recordClass == recordClass) {
                return kind;
            }
        }
        throw new IllegalArgumentException("not a record kind: " + recordClass);
    }

    public static Optional<RecordKind> named(String kindName) {
        return Arrays.stream(values()).filter(kind -> kind.kindName.equals(kindName)).findFirst();
    }
}
