package io.meshpilot.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.kafka.DeadLetters;
import io.meshpilot.schemas.Decision;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class ControlPlaneIT {

    @Test
    void sendsADegradedRegionRemoteAndBackAndAuditsEachChange(EmbeddedKafkaBroker kafka, Topics topics) {
        try (Regions regions = new Regions(kafka, topics, "us", "eu")) {
            regions.startControlPlane("cp-0");
            TopicReader us = regions.reader(topics.directives("us"));
            TopicReader eu = regions.reader(topics.directives("eu"));
            TopicReader decisions = regions.reader(topics.decisions());
            regions.heartbeats("us", "eu");
            regions.health("us", Regions.READY);
            regions.health("eu", Regions.READY);
            await().atMost(Regions.WAIT).untilAsserted(() -> {
                assertThat(Regions.affinity(us)).isEqualTo("local");
                assertThat(Regions.affinity(eu)).isEqualTo("local");
            });

            regions.health("us", Regions.NONE_READY);
            await().atMost(Regions.WAIT).untilAsserted(() -> assertThat(us.latest(Regions.KEY,
                    ServiceDirective.class)).hasValueSatisfying(directive -> {
                        assertThat(directive.annotations()).containsEntry("service.cilium.io/affinity", "remote")
                                .as("make before break: us exports until eu's export is reported applied")
                                .containsEntry("service.cilium.io/shared", "true");
                        assertThat(directive.awaiting()).containsExactly("eu");
                    }));
            regions.applied("eu", eu.latest(Regions.KEY, ServiceDirective.class).orElseThrow());
            await().atMost(Regions.WAIT).untilAsserted(() -> assertThat(us.latest(Regions.KEY,
                    ServiceDirective.class)).hasValueSatisfying(directive -> {
                        assertThat(directive.annotations()).containsEntry("service.cilium.io/affinity", "remote")
                                .containsEntry("service.cilium.io/shared", "false");
                        assertThat(directive.reason()).isEqualTo("local-degraded");
                    }));
            assertThat(eu.latest(Regions.KEY, ServiceDirective.class)).hasValueSatisfying(directive ->
                    assertThat(directive.annotations()).containsEntry("service.cilium.io/shared", "true"));

            List<ServiceDirective> usDirectives = us.documents(ServiceDirective.class);
            assertThat(usDirectives).extracting(ServiceDirective::version).isSorted().doesNotHaveDuplicates();
            await().atMost(Regions.WAIT).untilAsserted(() -> assertThat(decisions.documents(Decision.class))
                    .last().satisfies(decision -> {
                        assertThat(decision.regions()).extracting(Decision.RegionDecision::reason)
                                .containsExactly("local-healthy", "local-degraded");
                        assertThat(decision.policyScope()).isEqualTo("default");
                    }));
        }
    }

    @Test
    void deadLettersRecordsThatDoNotBelongToTheirTopic(EmbeddedKafkaBroker kafka, Topics topics) {
        try (Regions regions = new Regions(kafka, topics, "us", "eu")) {
            regions.startControlPlane("cp-0");
            TopicReader deadLetters = regions.reader(topics.deadLetter());
            TopicReader us = regions.reader(topics.directives("us"));
            regions.heartbeats("us", "eu");
            regions.send(topics.health("us"), Regions.KEY, Regions.healthOf("eu", Regions.READY));
            regions.send(new ProducerRecord<>(topics.health("us"), Regions.KEY,
                    "{not json".getBytes(StandardCharsets.UTF_8)));
            regions.send(new ProducerRecord<>(topics.health("us"), "no-slash", new byte[0]));

            await().atMost(Regions.WAIT).untilAsserted(() -> assertThat(deadLetters.poll()).extracting(record ->
                    new String(record.headers().lastHeader(DeadLetters.ERROR_HEADER).value(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder(
                            "region 'eu' does not match the topic's region 'us'",
                            "$: is not valid JSON: Unexpected character ('n' (code 110)): was expecting double-quote "
                                    + "to start field name at line 1, column 2",
                            "key 'no-slash' is not <namespace>/<service>"));
            assertThat(us.poll()).isEmpty();
        }
    }
}
