package io.meshpilot.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.kafka.DeadLetters;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.kafka.TopicProvisioner;
import io.meshpilot.schemas.Decision;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class ControlPlaneIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String KEY = "default/hello-world";
    private static final EndpointCounts READY = new EndpointCounts(2, 2, 0, 2, 2);
    private static final EndpointCounts NONE_READY = new EndpointCounts(0, 0, 0, 0, 2);

    @Test
    void sendsADegradedRegionRemoteAndBackAndAuditsEachChange(EmbeddedKafkaBroker kafka, Topics topics) {
        KafkaSettings settings = KafkaSettings.bootstrap(kafka.bootstrapServers());
        provision(settings, topics);

        try (ControlPlane controlPlane = ControlPlane.start(ControlPlaneSettings.of(settings, topics),
                Clock.systemUTC());
             RecordSender sender = new RecordSender(settings.producer("test"), "test");
             TopicReader us = new TopicReader(kafka.bootstrapServers(), topics.directives("us"));
             TopicReader eu = new TopicReader(kafka.bootstrapServers(), topics.directives("eu"));
             TopicReader decisions = new TopicReader(kafka.bootstrapServers(), topics.decisions())) {
            sender.send(topics.health("us"), KEY, health("us", READY));
            sender.send(topics.health("eu"), KEY, health("eu", READY));
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(affinity(us)).isEqualTo("local");
                assertThat(affinity(eu)).isEqualTo("local");
            });

            sender.send(topics.health("us"), KEY, health("us", NONE_READY));
            await().atMost(WAIT).untilAsserted(() -> assertThat(us.latest(KEY, ServiceDirective.class))
                    .hasValueSatisfying(directive -> {
                        assertThat(directive.annotations()).containsEntry("service.cilium.io/affinity", "remote")
                                .containsEntry("service.cilium.io/global", "true");
                        assertThat(directive.reason()).isEqualTo("local-degraded");
                    }));

            sender.send(topics.health("us"), KEY, health("us", READY));
            await().atMost(WAIT).untilAsserted(() -> assertThat(affinity(us)).isEqualTo("local"));

            List<ServiceDirective> usDirectives = us.documents(ServiceDirective.class);
            assertThat(usDirectives).extracting(ServiceDirective::version).isSorted().doesNotHaveDuplicates();
            assertThat(eu.documents(ServiceDirective.class)).hasSize(1);
            await().atMost(WAIT).untilAsserted(() -> assertThat(decisions.documents(Decision.class))
                    .extracting(decision -> decision.regions().size()).containsExactly(1, 2, 2, 2));
        }
    }

    @Test
    void deadLettersRecordsThatDoNotBelongToTheirTopic(EmbeddedKafkaBroker kafka, Topics topics) {
        KafkaSettings settings = KafkaSettings.bootstrap(kafka.bootstrapServers());
        provision(settings, topics);

        try (ControlPlane controlPlane = ControlPlane.start(ControlPlaneSettings.of(settings, topics),
                Clock.systemUTC());
             RecordSender sender = new RecordSender(settings.producer("test"), "test");
             TopicReader deadLetters = new TopicReader(kafka.bootstrapServers(), topics.deadLetter());
             TopicReader us = new TopicReader(kafka.bootstrapServers(), topics.directives("us"))) {
            sender.send(topics.health("us"), KEY, health("eu", READY));
            sender.send(new ProducerRecord<>(topics.health("us"), KEY, "{not json".getBytes(StandardCharsets.UTF_8)));
            sender.send(new ProducerRecord<>(topics.health("us"), "no-slash", new byte[0]));

            await().atMost(WAIT).untilAsserted(() -> assertThat(deadLetters.poll()).extracting(record ->
                    new String(record.headers().lastHeader(DeadLetters.ERROR_HEADER).value(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder(
                            "region 'eu' does not match the topic's region 'us'",
                            "$: is not valid JSON: Unexpected character ('n' (code 110)): was expecting double-quote "
                                    + "to start field name at line 1, column 2",
                            "key 'no-slash' is not <namespace>/<service>"));
            assertThat(us.poll()).isEmpty();
        }
    }

    private static String affinity(TopicReader reader) {
        return reader.latest(KEY, ServiceDirective.class)
                .map(directive -> directive.annotations().get("service.cilium.io/affinity")).orElse(null);
    }

    private static ServiceHealth health(String region, EndpointCounts endpoints) {
        return new ServiceHealth(region, "default", "hello-world", endpoints, Instant.now(), "agent-" + region);
    }

    private static void provision(KafkaSettings settings, Topics topics) {
        try (Admin admin = Admin.create(settings.admin("test"))) {
            new TopicProvisioner(admin, topics, new TopicProvisioner.Layout(2, (short) 1))
                    .provision(List.of("us", "eu"));
        }
    }
}
