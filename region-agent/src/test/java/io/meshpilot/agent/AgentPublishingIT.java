package io.meshpilot.agent;

import static io.meshpilot.agent.AgentHarness.KEY;
import static io.meshpilot.agent.AgentHarness.NAMESPACE;
import static io.meshpilot.agent.AgentHarness.SERVICE;
import static io.meshpilot.agent.AgentHarness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.embedded.kubernetes.KubernetesObjects;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.BuildInfo;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 3, points 1 and 2: what the agent watches and how it publishes. */
@ExtendWith(KafkaBrokerExtension.class)
class AgentPublishingIT {

    @Test
    void coalescesABurstOfChangesYetPublishesTheLastState(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 0);
            region.startAgent("agent-us-0", settings -> settings.withWatch(new AgentSettings.Watch(
                    AgentSettings.Watch.DEFAULT.managedLabels(), List.of(), Duration.ofSeconds(1),
                    Duration.ofHours(1), Duration.ofSeconds(5))));
            TopicReader health = region.reader(topics.health("us"));
            await().atMost(WAIT).until(() -> health.latest(KEY, ServiceHealth.class).isPresent());

            for (int ready = 1; ready <= 50; ready++) {
                region.setPods(SERVICE, ready, 0);
            }

            await().atMost(WAIT).untilAsserted(() -> assertThat(health.latest(KEY, ServiceHealth.class))
                    .hasValueSatisfying(h -> assertThat(h.endpoints().ready()).isEqualTo(50)));
            long records = health.poll().stream().filter(record -> KEY.equals(record.key())).count();
            assertThat(records).as("records for 50 pod events (the first is the initial state)").isLessThan(10);
        }
    }

    @Test
    void republishesEveryServiceAtTheResyncInterval(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 2);
            RegionAgent agent = region.startAgent("agent-us-0", settings -> settings.withWatch(
                    new AgentSettings.Watch(AgentSettings.Watch.DEFAULT.managedLabels(), List.of(),
                            Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(5))));
            TopicReader health = region.reader(topics.health("us"));

            await().atMost(WAIT).untilAsserted(() -> assertThat(health.poll().stream()
                    .filter(record -> KEY.equals(record.key())).count()).isGreaterThanOrEqualTo(3));
            assertThat(health.documents(ServiceHealth.class)).allSatisfy(h -> assertThat(h.endpoints().ready())
                    .isEqualTo(2));
            assertThat(io.meshpilot.testing.MetricsPage.scrape(agent.httpPort())
                    .value("meshpilot_agent_health_republished_total{cause=\"resync\"}")).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void withdrawsAServiceThatIsUnlabelledOrDeleted(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 1);
            region.createManagedService("other", 1);
            region.startAgent("agent-us-0");
            TopicReader health = region.reader(topics.health("us"));
            await().atMost(WAIT).until(() -> health.latest(KEY, ServiceHealth.class).isPresent()
                    && health.latest(NAMESPACE + "/other", ServiceHealth.class).isPresent());

            region.kubernetes.services().inNamespace(NAMESPACE).withName(SERVICE).edit(service ->
                    new ServiceBuilder(service).editMetadata().removeFromLabels("meshpilot.io/managed").endMetadata()
                            .build());
            region.kubernetes.services().inNamespace(NAMESPACE).withName("other").delete();

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(endsWithTombstone(health, KEY)).as("tombstone of the unlabelled Service").isTrue();
                assertThat(endsWithTombstone(health, NAMESPACE + "/other")).as("tombstone of the deleted Service")
                        .isTrue();
            });
        }
    }

    @Test
    void watchesOnlyTheConfiguredNamespaces(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            for (String namespace : List.of("team-a", "team-b")) {
                region.namespace(namespace);
                region.kubernetes.resource(KubernetesObjects.service(namespace, "api",
                        Map.of("meshpilot.io/managed", "true"))).create();
            }
            region.startAgent("agent-us-0", settings -> settings.withWatch(new AgentSettings.Watch(
                    AgentSettings.Watch.DEFAULT.managedLabels(), List.of("team-a"), Duration.ofMillis(50),
                    Duration.ofHours(1), Duration.ofSeconds(5))));
            TopicReader health = region.reader(topics.health("us"));

            await().atMost(WAIT).until(() -> health.latest("team-a/api", ServiceHealth.class).isPresent());
            region.kubernetes.resource(KubernetesObjects.service("team-a", "late",
                    Map.of("meshpilot.io/managed", "true"))).create();
            await().atMost(WAIT).until(() -> health.latest("team-a/late", ServiceHealth.class).isPresent());
            assertThat(health.poll()).extracting(record -> record.key()).doesNotContain("team-b/api");
        }
    }

    @Test
    void sendsHeartbeatsThatSayWhoItIsWhatItRunsAndWhatItWatches(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 1);
            region.startAgent("agent-us-7");
            TopicReader heartbeats = region.reader(topics.heartbeat("us"));

            await().atMost(WAIT).untilAsserted(() -> assertThat(heartbeats.latest("agent-us-7", AgentHeartbeat.class))
                    .hasValueSatisfying(heartbeat -> {
                        assertThat(heartbeat.region()).isEqualTo("us");
                        assertThat(heartbeat.version()).isEqualTo(BuildInfo.version());
                        assertThat(heartbeat.servicesWatched()).isEqualTo(1);
                        assertThat(heartbeat.leader()).isTrue();
                    }));
        }
    }

    private static boolean endsWithTombstone(TopicReader reader, String key) {
        return reader.poll().stream().filter(record -> key.equals(record.key()))
                .reduce((first, second) -> second).filter(record -> record.value() == null).isPresent();
    }
}
