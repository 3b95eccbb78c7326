package io.meshpilot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.PracticeRun;
import io.meshpilot.schemas.PracticeRunStatus;
import io.meshpilot.schemas.Topics;
import io.meshpilot.schemas.TrafficPolicy;
import io.meshpilot.testing.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one path of the foundation, end to end with real parts: agents on CRUD-mode API servers for us and eu, the
 * control plane, and the embedded broker between them.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TwoRegionFailoverIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void usFailsOverToEuWhenItHasNoReadyEndpointAndComesHomeWhenTheyReturn(EmbeddedKafkaBroker kafka, Topics topics,
            @TempDir Path stateDir) {
        SandboxSettings settings = new SandboxSettings(List.of("us", "eu"), Optional.of(kafka.bootstrapServers()),
                topics, stateDir, 2, 0, KubernetesBackend.REAL);
        try (Sandbox sandbox = Sandbox.start(settings, Clock.systemUTC())) {
            sandbox.writePolicy("*", new TrafficPolicy("*", null, null, null, null, 1, null, null, null, null));
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(annotations(sandbox, "us")).containsAllEntriesOf(globalWith("local"));
                assertThat(annotations(sandbox, "eu")).containsAllEntriesOf(globalWith("local"));
            });

            sandbox.region("us").scaleHelloWorld(0, 0);
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(annotations(sandbox, "us")).containsAllEntriesOf(globalWith("remote")));
            assertThat(annotations(sandbox, "eu")).containsAllEntriesOf(globalWith("local"));

            sandbox.region("us").scaleHelloWorld(2, 0);
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(annotations(sandbox, "us")).containsAllEntriesOf(globalWith("local")));
            assertThat(annotations(sandbox, "eu")).containsAllEntriesOf(globalWith("local"));

            practiceRunDrainsUsMeasuresItAndFailsBack(sandbox);
        }
    }

    /**
     * Issue 22, points 2 and 6: a practice run on the same real regions, once us is home and healthy: us drained for
     * 2 s, every region's agent applying the drain and then the failback, reported on the practice-status topic.
     */
    private static void practiceRunDrainsUsMeasuresItAndFailsBack(Sandbox sandbox) {
        sandbox.writePracticeRun("drill", new PracticeRun(null, "us", null, 2, List.of("default/*"), null, null));

        await().atMost(WAIT).untilAsserted(() -> assertThat(sandbox.practiceStatus("drill"))
                .hasValueSatisfying(status -> assertThat(status.phase()).isIn("completed", "aborted")));

        PracticeRunStatus report = sandbox.practiceStatus("drill").orElseThrow();
        assertThat(report.phase()).as(report.toString()).isEqualTo("completed");
        assertThat(report.windowEndsAt()).isEqualTo(report.startedAt().plusSeconds(2));
        assertThat(report.endedAt()).isAfterOrEqualTo(report.windowEndsAt());
        assertThat(report.drainSeconds()).isPositive();
        assertThat(report.failbackSeconds()).as("the 1 s failback delay included").isGreaterThanOrEqualTo(1.0);
        assertThat(report.services()).singleElement().satisfies(service -> {
            assertThat(service.service()).isEqualTo("hello-world");
            assertThat(service.drain()).extracting(PracticeRunStatus.RegionTime::region).contains("us");
            assertThat(service.drain()).allSatisfy(region -> assertThat(region.appliedAt()).isNotNull());
            assertThat(service.failback()).extracting(PracticeRunStatus.RegionTime::region).contains("us");
            assertThat(service.failback()).allSatisfy(region -> assertThat(region.appliedAt()).isNotNull());
        });
        assertThat(annotations(sandbox, "us")).containsAllEntriesOf(globalWith("local"));
    }

    private static Map<String, String> globalWith(String affinity) {
        return Map.of("service.cilium.io/global", "true", "service.cilium.io/affinity", affinity);
    }

    private static Map<String, String> annotations(Sandbox sandbox, String region) {
        var service = sandbox.region(region).client().services().inNamespace("default").withName("hello-world").get();
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }
}
