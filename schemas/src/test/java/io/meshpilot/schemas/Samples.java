package io.meshpilot.schemas;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One valid record of every kind. */
final class Samples {

    static final Instant AT = Instant.parse("2026-11-25T16:40:00.123Z");

    private Samples() {
    }

    static ServiceHealth health() {
        return new ServiceHealth("us", "default", "hello-world", new EndpointCounts(2, 2, 0, 2, 2), AT, "agent-us-0");
    }

    static AgentHeartbeat heartbeat() {
        return new AgentHeartbeat("us", "agent-us-0", "0.1.0", AT, 3, true);
    }

    static ServiceDirective directive() {
        return new ServiceDirective("eu", "default", "hello-world", 7,
                Map.of("service.cilium.io/global", "true", "service.cilium.io/affinity", "local"),
                "local-healthy", AT);
    }

    static DirectiveStatus status() {
        return new DirectiveStatus("eu", "default", "hello-world", 7, DirectiveStatus.Result.REJECTED,
                "annotation foo is not owned by meshpilot", AT, "agent-eu-1");
    }

    static TrafficPolicy policy() {
        return new TrafficPolicy("default/*", PolicyMode.AUTO, 2, 0.5, 0, 30, 15, List.of("eu", "us"), 1,
                List.of("us"));
    }

    static PolicyStatus policyStatus() {
        return new PolicyStatus("default/*", false, List.of(new FieldError("minReadyRatio", "must be at most 1")),
                0, 42, AT);
    }

    static Decision decision() {
        return new Decision("default", "hello-world", AT, "*", PolicyMode.AUTO, false, List.of(
                new Decision.RegionDecision("us", new EndpointCounts(0, 0, 0, 0, 3), AT, "degraded", false,
                        Map.of("service.cilium.io/affinity", "remote", "service.cilium.io/shared", "false"),
                        "local-degraded", 12),
                new Decision.RegionDecision("eu", null, null, "absent", true, Map.of(), "region-stale", 3)));
    }

    /** A decision with the fields added within v1: a safety rule that held a region, and an incident report. */
    static Decision decisionWithIncident() {
        return new Decision("default", "hello-world", AT, "*", PolicyMode.AUTO, false, List.of(
                new Decision.RegionDecision("us", new EndpointCounts(0, 0, 0, 0, 3), AT, "degraded", false,
                        Map.of("service.cilium.io/affinity", "remote", "service.cilium.io/shared", "true"),
                        "blocked-by-safety-rule", 12, "maxWithdrawnRegions")),
                new Decision.Incident("us", "failover", 12, AT.minusSeconds(2), AT.minusSeconds(1), List.of(
                        new Decision.RegionApplied("us", AT), new Decision.RegionApplied("eu", AT))));
    }

    static PracticeRun practiceRun() {
        return new PracticeRun("drill-1", "us", AT, 60, List.of("default/*"), "08:00-18:00", "UTC");
    }

    static PracticeRunStatus practiceRunStatus() {
        return new PracticeRunStatus("drill-1", "us", "aborted", "region-degraded", "eu: default/hello-world", null,
                0, 4, null, AT, AT.plusSeconds(60), AT.plusSeconds(5), AT.plusSeconds(7), 1.25, null, List.of(
                        new PracticeRunStatus.ServiceReport("default", "hello-world", List.of(
                                new PracticeRunStatus.RegionTime("us", 8, AT.plusSeconds(1), 1.25),
                                new PracticeRunStatus.RegionTime("eu", 8, null, null)), List.of(), "eu degraded")),
                AT.plusSeconds(7));
    }

    static List<MeshRecord> all() {
        return List.of(health(), heartbeat(), directive(), status(), policy(), policyStatus(), decision(),
                decisionWithIncident(), practiceRun(), practiceRunStatus());
    }
}
