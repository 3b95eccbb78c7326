package io.meshpilot.controlplane.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.decision.Mode;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.schemas.Decision;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.testing.MetricsPage;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 22, point 5: each failover and failback through the real {@link DecisionLoop} with the manual clock, from its
 * detection (the health record's observedAt) to its decision (the commit) to every region applying it (the agents'
 * statuses): the histograms observe it once it is applied everywhere, and one Decision record reports it.
 */
class IncidentsLoopTest {

    private static final ServiceKey SERVICE = new ServiceKey("default", "hello-world");

    @Test
    void aFailoverIsMeasuredFromDetectionToAppliedEverywhereAndReportedOnce() {
        ManyServices mesh = new ManyServices(policy(), List.of(SERVICE), List.of("eu", "us"));
        mesh.pass(Duration.ofSeconds(5));
        Instant detected = mesh.time.instant();

        mesh.health(SERVICE, "us", 0);
        Instant decided = mesh.time.instant();
        mesh.pass(Duration.ofSeconds(2));
        assertThat(incidents(mesh)).as("not reported before every region applied").isEmpty();
        assertThat(metric(mesh, "meshpilot_incident_detection_to_decision_seconds_count{kind=\"failover\"}"))
                .as("the decision is observed at commit").isEqualTo(1);
        mesh.settle();

        Decision.Incident incident = incidents(mesh).get(0).incident();
        assertThat(incident.region()).isEqualTo("us");
        assertThat(incident.kind()).isEqualTo("failover");
        assertThat(incident.detectedAt()).isEqualTo(detected);
        assertThat(incident.decidedAt()).isEqualTo(decided);
        assertThat(incident.applied()).extracting(Decision.RegionApplied::region).contains("us");
        assertThat(incident.applied()).allSatisfy(applied -> assertThat(applied.appliedAt())
                .isEqualTo(detected.plusSeconds(2)));
        assertThat(metric(mesh, "meshpilot_incident_detection_to_applied_seconds_count{kind=\"failover\"}"))
                .isEqualTo(1);
        assertThat(metric(mesh, "meshpilot_incident_detection_to_applied_seconds_sum{kind=\"failover\"}"))
                .isEqualTo(2.0);
        assertThat(metric(mesh, "meshpilot_incident_detection_to_applied_seconds_bucket{kind=\"failover\",le=\"5.0\"}"))
                .as("the bucket the SLO alert reads").isEqualTo(1);
        assertThat(metric(mesh, "meshpilot_incident_decision_to_applied_seconds_sum{kind=\"failover\",region=\"us\"}"))
                .isEqualTo(2.0);

        mesh.settle();
        mesh.pass(Duration.ofSeconds(1));
        assertThat(incidents(mesh)).as("reported once").hasSize(1);
    }

    @Test
    void aFailbackCountsItsDelayFromTheHealthRecordThatShowedTheRegionHealthy() {
        ManyServices mesh = new ManyServices(policy(), List.of(SERVICE), List.of("eu", "us"));
        mesh.pass(Duration.ofSeconds(5));
        mesh.health(SERVICE, "us", 0);
        mesh.settle();
        mesh.pass(Duration.ofSeconds(5));
        Instant healthy = mesh.time.instant();

        mesh.health(SERVICE, "us", 3);
        mesh.settle();
        mesh.pass(Duration.ofSeconds(10));
        mesh.settle();

        Decision.Incident failback = incidents(mesh).stream().map(Decision::incident)
                .filter(incident -> incident.kind().equals("failback")).findFirst().orElseThrow();
        assertThat(failback.detectedAt()).isEqualTo(healthy);
        assertThat(Duration.between(failback.detectedAt(), failback.decidedAt()))
                .as("failbackDelaySeconds, to the next second of the test's clock")
                .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(6));
        assertThat(metric(mesh, "meshpilot_incident_detection_to_applied_seconds_count{kind=\"failback\"}"))
                .isEqualTo(1);
    }

    private static List<Decision> incidents(ManyServices mesh) {
        return mesh.decisionLog.stream().filter(decision -> decision.incident() != null).toList();
    }

    private static double metric(ManyServices mesh, String series) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, mesh.registry.scrape());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return MetricsPage.parse(out.toString(StandardCharsets.UTF_8)).value(series);
    }

    private static Policy policy() {
        return new Policy("*", Mode.AUTO, 2, 0.0, Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(15),
                List.of(), 0, Set.of());
    }
}
