package io.meshpilot.controlplane;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.kafka.TopicProvisioner;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.MeshRecord;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.TopicReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Regions without agents, for control-plane tests: the test plays the agents, writing health and heartbeats to the
 * region topics on the shared broker, and reads what the control plane publishes.
 */
final class Regions implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String KEY = "default/hello-world";
    static final EndpointCounts READY = new EndpointCounts(2, 2, 0, 2, 2);
    static final EndpointCounts NONE_READY = new EndpointCounts(0, 0, 0, 0, 2);

    final EmbeddedKafkaBroker kafka;
    final Topics topics;
    final KafkaSettings settings;
    final RecordSender sender;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    Regions(EmbeddedKafkaBroker kafka, Topics topics, String... regions) {
        this.kafka = kafka;
        this.topics = topics;
        this.settings = KafkaSettings.bootstrap(kafka.bootstrapServers());
        try (Admin admin = Admin.create(settings.admin("test"))) {
            new TopicProvisioner(admin, topics, new TopicProvisioner.Layout(2, (short) 1)).provision(List.of(regions));
        }
        this.sender = new RecordSender(settings.producer("test"), "test");
    }

    ControlPlane startControlPlane(String replicaId) {
        return startControlPlane(replicaId, UnaryOperator.identity());
    }

    ControlPlane startControlPlane(String replicaId, UnaryOperator<ControlPlaneSettings> adjust) {
        ControlPlane controlPlane = ControlPlane.start(adjust.apply(ControlPlaneSettings.of(settings, topics,
                replicaId).withRegionDiscoveryInterval(Duration.ofSeconds(1))), Clock.systemUTC());
        closeables.add(controlPlane);
        return controlPlane;
    }

    TopicReader reader(String topic) {
        TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic);
        closeables.add(reader);
        return reader;
    }

    void heartbeats(String... regions) {
        for (String region : regions) {
            send(topics.heartbeat(region), "agent-" + region,
                    new AgentHeartbeat(region, "agent-" + region, "test", Instant.now(), 1, true));
        }
    }

    /**
     * Heartbeats from these regions every two seconds until the regions are closed, as running agents do: a test
     * whose control plane is cut off or re-joining for a while must not see its regions fall silent (a silent region
     * keeps its last directive) only because the test heartbeated once.
     */
    void keepHeartbeating(String... regions) {
        ScheduledExecutorService agents = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "test-agents-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        agents.scheduleWithFixedDelay(() -> heartbeats(regions), 0, 2, TimeUnit.SECONDS);
        closeables.add(agents::shutdownNow);
    }

    void health(String region, EndpointCounts endpoints) {
        send(topics.health(region), KEY, healthOf(region, endpoints));
    }

    void health(String region, String service, EndpointCounts endpoints) {
        send(topics.health(region), "default/" + service,
                new ServiceHealth(region, "default", service, endpoints, Instant.now(), "agent-" + region));
    }

    /** The region's agent reports the directive it read applied, as a real agent would. */
    void applied(String region, ServiceDirective directive) {
        send(topics.status(region), KEY, new io.meshpilot.schemas.DirectiveStatus(region, "default", "hello-world",
                directive.version(), io.meshpilot.schemas.DirectiveStatus.Result.APPLIED, "applied", Instant.now(),
                "agent-" + region));
    }

    void policy(String scope, io.meshpilot.schemas.TrafficPolicy policy) {
        send(topics.policies(), scope, policy);
    }

    void provision(String... regions) {
        try (Admin admin = Admin.create(settings.admin("test"))) {
            new TopicProvisioner(admin, topics, new TopicProvisioner.Layout(2, (short) 1)).provision(List.of(regions));
        }
    }

    static ServiceHealth healthOf(String region, EndpointCounts endpoints) {
        return new ServiceHealth(region, "default", "hello-world", endpoints, Instant.now(), "agent-" + region);
    }

    void send(String topic, String key, MeshRecord record) {
        await(sender.send(topic, key, record));
    }

    void send(ProducerRecord<String, byte[]> record) {
        await(sender.send(record));
    }

    private static void await(java.util.concurrent.CompletionStage<?> sent) {
        try {
            sent.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("send failed", e);
        }
    }

    static String affinity(TopicReader reader) {
        return reader.latest(KEY, ServiceDirective.class)
                .map(directive -> directive.annotations().get("service.cilium.io/affinity")).orElse(null);
    }

    @Override
    public void close() {
        List<AutoCloseable> reversed = new ArrayList<>(closeables);
        Collections.reverse(reversed);
        for (AutoCloseable closeable : reversed) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing what a test left behind
            }
        }
        sender.close();
    }
}
