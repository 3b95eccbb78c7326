package io.meshpilot.controlplane;

import static io.meshpilot.controlplane.Regions.KEY;
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
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 22, point 3: with minExportingRegions 2 of 2, a degraded region keeps exporting on a running control plane. */
@ExtendWith(KafkaBrokerExtension.class)
class SafetyRuleIT {

    @Test
    void aWithdrawalThatWouldLeaveTooFewRegionsExportingIsBlocked(EmbeddedKafkaBroker kafka, Topics topics) {
        try (Regions regions = new Regions(kafka, topics, "us", "eu")) {
            regions.policy("*", new TrafficPolicy("*", null, null, null, null, null, null, null, null, null, null,
                    null, null, 2));
            regions.startControlPlane("cp-0");
            TopicReader us = regions.reader(topics.directives("us"));
            regions.heartbeats("us", "eu");
            regions.health("eu", READY);
            regions.health("us", READY);
            await().atMost(WAIT).until(() -> "local-healthy".equals(latest(us).map(ServiceDirective::reason)
                    .orElse(null)));

            regions.health("us", NONE_READY);

            await().atMost(WAIT).until(() -> "blocked-by-safety-rule".equals(latest(us)
                    .map(ServiceDirective::reason).orElse(null)));
            assertThat(latest(us).orElseThrow().annotations()).containsEntry("service.cilium.io/shared", "true")
                    .containsEntry("service.cilium.io/affinity", "remote");
        }
    }

    private static Optional<ServiceDirective> latest(TopicReader directives) {
        return directives.latest(KEY, ServiceDirective.class);
    }
}
