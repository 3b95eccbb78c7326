package io.meshpilot.controlplane;

import static io.meshpilot.controlplane.Regions.NONE_READY;
import static io.meshpilot.controlplane.Regions.READY;
import static io.meshpilot.controlplane.Regions.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.Decision;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.MetricsPage;
import io.meshpilot.testing.TopicReader;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 22, point 5: on a running control plane, a region's failover is measured from the health record that showed
 * it degraded to every region's agent reporting it applied: a Decision record with the incident on the decisions
 * topic, and the incident histograms on /metrics. The test plays the agents.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FailoverSloIT {

    private static final List<String> REGIONS = List.of("eu", "us");

    @Test
    void aFailoverIsReportedOnceAppliedInEveryRegion(EmbeddedKafkaBroker kafka, Topics topics) {
        try (Regions regions = new Regions(kafka, topics, "eu", "us")) {
            ControlPlane controlPlane = regions.startControlPlane("cp-0");
            Map<String, TopicReader> directives = new HashMap<>();
            REGIONS.forEach(region -> directives.put(region, regions.reader(topics.directives(region))));
            TopicReader decisions = regions.reader(topics.decisions());
            Map<String, Long> applied = new HashMap<>();
            regions.keepHeartbeating("eu", "us");
            regions.health("eu", READY);
            regions.health("us", READY);
            await().atMost(WAIT).until(() -> applyAll(regions, directives, applied)
                    && "local-healthy".equals(reason(directives.get("us"))));

            Instant degraded = Instant.now();
            regions.health("us", NONE_READY);

            await().atMost(WAIT).until(() -> {
                applyAll(regions, directives, applied);
                return incident(decisions).isPresent();
            });
            Decision.Incident incident = incident(decisions).orElseThrow();
            assertThat(incident.region()).isEqualTo("us");
            assertThat(incident.kind()).isEqualTo("failover");
            assertThat(incident.detectedAt()).isAfterOrEqualTo(degraded);
            assertThat(incident.decidedAt()).isAfterOrEqualTo(incident.detectedAt());
            assertThat(incident.applied()).extracting(Decision.RegionApplied::region).contains("us");
            assertThat(incident.applied()).allSatisfy(region -> assertThat(region.appliedAt())
                    .isAfterOrEqualTo(incident.decidedAt()));
            await().atMost(WAIT).untilAsserted(() -> {
                MetricsPage metrics = MetricsPage.scrape(controlPlane.httpPort());
                assertThat(metrics.value("meshpilot_incident_detection_to_applied_seconds_count{kind=\"failover\"}"))
                        .isEqualTo(1);
                assertThat(metrics.value("meshpilot_incident_detection_to_decision_seconds_count{kind=\"failover\"}"))
                        .isEqualTo(1);
                assertThat(metrics.value(
                        "meshpilot_incident_decision_to_applied_seconds_count{kind=\"failover\",region=\"us\"}"))
                        .isEqualTo(1);
            });
        }
    }

    private static Optional<Decision.Incident> incident(TopicReader decisions) {
        return decisions.documents(Decision.class).stream().map(Decision::incident).filter(java.util.Objects::nonNull)
                .findFirst();
    }

    private static String reason(TopicReader directives) {
        return directives.latest(Regions.KEY, ServiceDirective.class).map(ServiceDirective::reason).orElse(null);
    }

    /** Each region's agent reports the latest directive it reads applied, once; always true. */
    private static boolean applyAll(Regions regions, Map<String, TopicReader> directives, Map<String, Long> applied) {
        directives.forEach((region, reader) -> reader.latest(Regions.KEY, ServiceDirective.class)
                .filter(directive -> !Long.valueOf(directive.version()).equals(applied.put(region,
                        directive.version())))
                .ifPresent(directive -> regions.send(regions.topics.status(region), Regions.KEY,
                        new DirectiveStatus(region, "default", "hello-world", directive.version(),
                                DirectiveStatus.Result.APPLIED, "applied", Instant.now(), "agent-" + region))));
        return true;
    }
}
