package io.meshpilot.controlplane;

import static io.meshpilot.controlplane.Regions.NONE_READY;
import static io.meshpilot.controlplane.Regions.READY;
import static io.meshpilot.controlplane.Regions.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.MetricsPage;
import io.meshpilot.testing.TopicReader;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 4, point 4: two replicas split the Services as one consumer group; when one dies the other takes over its
 * Services, and no directive version is ever published twice or out of order for a Service in a region.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ScaleOutIT {

    private static final List<String> SERVICES = IntStream.range(0, 8).mapToObj(i -> "svc-" + i).toList();

    @Test
    void twoReplicasSplitTheServicesAndTheSurvivorTakesOverTheOthers(EmbeddedKafkaBroker kafka, Topics topics) {
        try (Regions regions = new Regions(kafka, topics, "us", "eu")) {
            ControlPlane first = regions.startControlPlane("cp-a");
            ControlPlane second = regions.startControlPlane("cp-b");
            TopicReader us = regions.reader(topics.directives("us"));
            regions.heartbeats("us", "eu");
            SERVICES.forEach(service -> {
                regions.health("eu", service, READY);
                regions.health("us", service, READY);
            });
            await().atMost(WAIT).until(() -> latestReasons(us).size() == SERVICES.size());
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(owned(first)).as("partitions owned by cp-a").isEqualTo(1);
                assertThat(owned(second)).as("partitions owned by cp-b").isEqualTo(1);
            });

            first.close();
            await().atMost(WAIT).until(() -> owned(second) == 2);
            regions.heartbeats("us", "eu");
            SERVICES.forEach(service -> regions.health("us", service, NONE_READY));

            await().atMost(WAIT).untilAsserted(() -> assertThat(latestReasons(us).values())
                    .hasSize(SERVICES.size()).containsOnly("local-degraded"));
            Map<String, List<Long>> versions = us.documents(ServiceDirective.class).stream()
                    .collect(Collectors.groupingBy(directive -> directive.service(),
                            Collectors.mapping(ServiceDirective::version, Collectors.toList())));
            assertThat(versions.values()).allSatisfy(history ->
                    assertThat(history).isSorted().doesNotHaveDuplicates());
        }
    }

    private static double owned(ControlPlane controlPlane) {
        return MetricsPage.scrape(controlPlane.httpPort()).value("meshpilot_control_plane_owned_partitions");
    }

    private static Map<String, String> latestReasons(TopicReader directives) {
        return directives.documents(ServiceDirective.class).stream()
                .collect(Collectors.toMap(ServiceDirective::service, ServiceDirective::reason, (a, b) -> b));
    }
}
