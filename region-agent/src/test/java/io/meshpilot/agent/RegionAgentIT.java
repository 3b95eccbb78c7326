package io.meshpilot.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.embedded.kubernetes.real.RealApiServer;
import io.meshpilot.embedded.kubernetes.real.RealRegions;
import io.meshpilot.embedded.kubernetes.KubernetesObjects;
import io.meshpilot.embedded.kubernetes.KubernetesObjects.Pod;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.kafka.TopicProvisioner;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.TopicReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The agent end to end on a real region (the JVM's shared one, emptied for each test). */
@ExtendWith(KafkaBrokerExtension.class)
class RegionAgentIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String KEY = "default/hello-world";

    private RealApiServer apiServer;
    private KubernetesClient kubernetes;

    @BeforeEach
    void startApiServer() {
        apiServer = RealRegions.acquire("us", 1);
        kubernetes = apiServer.newClient();
    }

    @AfterEach
    void stopApiServer() {
        kubernetes.close();
    }

    @Test
    void publishesHealthAppliesDirectivesAndWithdrawsDeletedServices(EmbeddedKafkaBroker kafka, Topics topics) {
        KafkaSettings settings = KafkaSettings.bootstrap(kafka.bootstrapServers());
        provision(settings, topics);
        kubernetes.resource(KubernetesObjects.service("default", "hello-world",
                Map.of("meshpilot.io/managed", "true"))).create();
        kubernetes.resource(KubernetesObjects.service("default", "unmanaged", Map.of())).create();
        List<Pod> pods = List.of(Pod.ready("hello-1", "10.1.0.1"), Pod.notReady("hello-2", "10.1.0.2"));
        kubernetes.resource(KubernetesObjects.endpointSlice("default", "hello-world", "hello-world-v4", "IPv4", pods))
                .create();
        kubernetes.resource(KubernetesObjects.endpointSlice("default", "hello-world", "hello-world-v6", "IPv6",
                List.of(Pod.ready("hello-1", "fd00::1"), Pod.notReady("hello-2", "fd00::2")))).create();

        try (RegionAgent agent = RegionAgent.start(AgentSettings.of("us", "agent-us-0", topics, settings,
                apiServer.clientConfig()).withLeadership(AgentSettings.Leadership.fast("default"))
                .withHttp(AgentSettings.Http.LOOPBACK), Clock.systemUTC());
             TopicReader health = new TopicReader(kafka.bootstrapServers(), topics.health("us"));
             TopicReader status = new TopicReader(kafka.bootstrapServers(), topics.status("us"));
             RecordSender sender = new RecordSender(settings.producer("test"), "test")) {

            await().atMost(WAIT).untilAsserted(() -> assertThat(health.latest(KEY, ServiceHealth.class))
                    .hasValueSatisfying(h -> assertThat(h.endpoints()).isEqualTo(new EndpointCounts(1, 1, 0, 1, 2))));
            assertThat(health.poll()).extracting(r -> r.key()).doesNotContain("default/unmanaged");

            sender.send(topics.directives("us"), KEY, directive("us", 5, "remote"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(annotations())
                    .containsEntry("service.cilium.io/affinity", "remote")
                    .containsEntry("service.cilium.io/global", "true")
                    .containsEntry("meshpilot.io/directive-version", "5"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(status.latest(KEY, DirectiveStatus.class))
                    .hasValueSatisfying(s -> {
                        assertThat(s.version()).isEqualTo(5);
                        assertThat(s.result()).isEqualTo(DirectiveStatus.Result.APPLIED);
                    }));
            assertThat(events()).singleElement().satisfies(event -> {
                assertThat(event.getReason()).isEqualTo("AffinityChanged");
                assertThat(event.getMessage()).isEqualTo(
                        "affinity none -> remote, shared true, global true: local-degraded (directive 5)");
            });

            sender.send(topics.directives("us"), KEY, directive("us", 4, "local"));
            sender.send(topics.directives("us"), KEY, directive("eu", 9, "local"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(status.latest(KEY, DirectiveStatus.class))
                    .hasValueSatisfying(s -> {
                        assertThat(s.version()).isEqualTo(9);
                        assertThat(s.result()).isEqualTo(DirectiveStatus.Result.REJECTED);
                        assertThat(s.message()).contains("region eu");
                    }));
            assertThat(annotations()).containsEntry("service.cilium.io/affinity", "remote");

            kubernetes.services().inNamespace("default").withName("hello-world").delete();
            await().atMost(WAIT).untilAsserted(() -> assertThat(health.poll()).last()
                    .satisfies(record -> {
                        assertThat(record.key()).isEqualTo(KEY);
                        assertThat(record.value()).isNull();
                    }));
        }
    }

    private Map<String, String> annotations() {
        var service = kubernetes.services().inNamespace("default").withName("hello-world").get();
        return service.getMetadata().getAnnotations() == null ? Map.of() : service.getMetadata().getAnnotations();
    }

    /** The agent's Events on the Service (the API server records its own too, e.g. ClusterIPAllocation). */
    private List<Event> events() {
        return kubernetes.v1().events().inNamespace("default").list().getItems().stream()
                .filter(event -> "hello-world".equals(event.getInvolvedObject().getName()))
                .filter(event -> "meshpilot.io/agent".equals(event.getReportingComponent())).toList();
    }

    private static ServiceDirective directive(String region, long version, String affinity) {
        return new ServiceDirective(region, "default", "hello-world", version,
                Map.of("service.cilium.io/global", "true", "service.cilium.io/shared", "true",
                        "service.cilium.io/affinity", affinity),
                "local-degraded", Instant.now());
    }

    private static void provision(KafkaSettings settings, Topics topics) {
        try (Admin admin = Admin.create(settings.admin("test"))) {
            new TopicProvisioner(admin, topics, new TopicProvisioner.Layout(2, (short) 1)).provision(List.of("us"));
        }
    }
}
