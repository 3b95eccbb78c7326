package io.meshpilot.schemas;

/**
 * A meshpilot.io/v1 document. On the wire each carries {@code apiVersion} and {@code kind}; the codec adds
 * and checks them, so the records hold only their own fields.
 */
public sealed interface MeshRecord
        permits ServiceHealth, AgentHeartbeat, ServiceDirective, DirectiveStatus, TrafficPolicy, PolicyStatus,
                Decision, PracticeRun, PracticeRunStatus {

    String API_VERSION = "meshpilot.io/v1";
}
