package io.meshpilot.controlplane;

import static io.meshpilot.controlplane.Regions.NONE_READY;
import static io.meshpilot.controlplane.Regions.READY;
import static io.meshpilot.controlplane.Regions.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.Topics;
import io.meshpilot.schemas.TrafficPolicy;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 22, point 3: on a running control plane, more than half of us's Services degrading at once while its agent
 * heartbeats holds their failovers for the confirmation window (confirming-mass-degradation); as the degradation
 * lasts, they fail over when it ends.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MassDegradationIT {

    private static final List<String> SERVICES = List.of("hello-world", "cart", "search");

    @Test
    void failoversOutOfARegionWhereMostServicesDegradeAtOnceWaitForConfirmation(EmbeddedKafkaBroker kafka,
            Topics topics) {
        try (Regions regions = new Regions(kafka, topics, "eu", "us")) {
            TrafficPolicy policy = new TrafficPolicy("*", null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, 0.5, 20, 20);
            regions.policy("*", policy);
            regions.startControlPlane("cp-0");
            TopicReader us = regions.reader(topics.directives("us"));
            regions.keepHeartbeating("eu", "us");
            SERVICES.forEach(service -> regions.health("eu", service, READY));
            SERVICES.forEach(service -> regions.health("us", service, READY));
            await().atMost(WAIT).until(() -> SERVICES.stream().allMatch(service -> "local-healthy".equals(
                    reason(us, service))));

            SERVICES.forEach(service -> regions.health("us", service, NONE_READY));

            await().atMost(WAIT).until(() -> "confirming-mass-degradation".equals(reason(us, "search")));
            assertThat(latest(us, "search").orElseThrow().annotations())
                    .as("its clients stay home while the window is open")
                    .containsEntry("service.cilium.io/affinity", "local");
            await().atMost(WAIT.plus(Duration.ofSeconds(20))).until(() -> SERVICES.stream().allMatch(service ->
                    "local-degraded".equals(reason(us, service))));
        }
    }

    private static String reason(TopicReader directives, String service) {
        return latest(directives, service).map(ServiceDirective::reason).orElse(null);
    }

    private static Optional<ServiceDirective> latest(TopicReader directives, String service) {
        return directives.latest("default/" + service, ServiceDirective.class);
    }
}
