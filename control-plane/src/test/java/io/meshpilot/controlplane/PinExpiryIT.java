package io.meshpilot.controlplane;

import static io.meshpilot.controlplane.Regions.KEY;
import static io.meshpilot.controlplane.Regions.READY;
import static io.meshpilot.controlplane.Regions.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.PolicyMode;
import io.meshpilot.schemas.PolicyStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.Topics;
import io.meshpilot.schemas.TrafficPolicy;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.MetricsPage;
import io.meshpilot.testing.TopicReader;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 22, point 4: a pin with expiresAt ends on a running control plane; its status says so. */
@ExtendWith(KafkaBrokerExtension.class)
class PinExpiryIT {

    @Test
    void atExpiryTheServiceReturnsToTheNextPolicyDownAndThePolicyStatusSaysSo(EmbeddedKafkaBroker kafka,
            Topics topics) {
        try (Regions regions = new Regions(kafka, topics, "us", "eu")) {
            ControlPlane controlPlane = regions.startControlPlane("cp-0");
            TopicReader us = regions.reader(topics.directives("us"));
            TopicReader statuses = regions.reader(topics.policyStatus());
            regions.heartbeats("us", "eu");
            regions.health("eu", READY);
            regions.health("us", READY);
            await().atMost(WAIT).until(() -> "local-healthy".equals(reason(us)));

            Instant expiresAt = Instant.now().plusSeconds(3);
            regions.policy(KEY, new TrafficPolicy(KEY, PolicyMode.REMOTE, null, null, null, null, null, null, null,
                    null, null, null, expiresAt, null));
            await().atMost(WAIT).until(() -> "pinned-by-policy".equals(reason(us)));
            regions.heartbeats("us", "eu");

            await().atMost(WAIT).until(() -> "local-healthy".equals(reason(us)));
            assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
            await().atMost(WAIT).untilAsserted(() -> assertThat(statuses.latest(KEY, PolicyStatus.class)
                    .map(PolicyStatus::expiredAt)).isEqualTo(Optional.of(expiresAt)));
            assertThat(statuses.latest(KEY, PolicyStatus.class).orElseThrow().accepted()).isTrue();
            MetricsPage metrics = MetricsPage.scrape(controlPlane.httpPort());
            assertThat(metrics.value("meshpilot_policy_pins_expired_total")).isEqualTo(1);
            assertThat(metrics.value("meshpilot_policy_pins{expiring=\"true\"}")).isZero();
        }
    }

    private static String reason(TopicReader directives) {
        return directives.latest(KEY, ServiceDirective.class).map(ServiceDirective::reason).orElse(null);
    }
}
