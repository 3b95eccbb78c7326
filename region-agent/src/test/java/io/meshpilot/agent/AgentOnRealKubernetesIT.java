package io.meshpilot.agent;

import static io.meshpilot.agent.AgentHarness.KEY;
import static io.meshpilot.agent.AgentHarness.NAMESPACE;
import static io.meshpilot.agent.AgentHarness.SERVICE;
import static io.meshpilot.agent.AgentHarness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.TopicReader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17, point 5: what only a real kube-apiserver shows: the agent's watches survive the API server restarting,
 * and its patches and a concurrent writer's optimistic updates (resourceVersion, 409 on conflict) both land.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AgentOnRealKubernetesIT {

    @Test
    void keepsWatchingAndApplyingAcrossAnApiServerRestart(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 2);
            region.startAgent("agent-us-0");
            TopicReader health = region.reader(topics.health("us"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(health.latest(KEY, ServiceHealth.class))
                    .hasValueSatisfying(h -> assertThat(h.endpoints().ready()).isEqualTo(2)));

            region.realApiServer().restartApiServer();

            region.setPods(SERVICE, 0, 2);
            await().atMost(WAIT).untilAsserted(() -> assertThat(health.latest(KEY, ServiceHealth.class))
                    .hasValueSatisfying(h -> assertThat(h.endpoints().ready()).isZero()));
            region.sendDirective(1, "remote");
            await().atMost(WAIT).until(() -> "remote".equals(region.annotations(SERVICE)
                    .get("service.cilium.io/affinity")));
        }
    }

    @Test
    void itsPatchesAndAConcurrentWritersUpdatesBothLand(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 2);
            region.startAgent("agent-us-0");
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger written = new AtomicInteger();
            AtomicInteger conflicts = new AtomicInteger();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                while (writing.get()) {
                    try {
                        // a read-modify-write with the resourceVersion read, as controllers do
                        var service = region.kubernetes.services().inNamespace(NAMESPACE).withName(SERVICE).get();
                        region.kubernetes.resource(new ServiceBuilder(service).editMetadata()
                                .addToLabels("writer", Integer.toString(written.get() + 1)).endMetadata().build())
                                .update();
                        written.incrementAndGet();
                    } catch (KubernetesClientException e) {
                        if (e.getCode() != 409) {
                            throw e;
                        }
                        conflicts.incrementAndGet();
                    }
                }
            });
            try {
                for (long version = 1; version <= 6; version++) {
                    region.sendDirective(version, version % 2 == 0 ? "local" : "remote");
                }
                await().atMost(WAIT).until(() -> "6".equals(region.annotations(SERVICE)
                        .get("meshpilot.io/directive-version")));
                await().atMost(WAIT).until(() -> written.get() >= 20);
            } finally {
                writing.set(false);
                writer.join();
            }
            var service = region.kubernetes.services().inNamespace(NAMESPACE).withName(SERVICE).get();
            assertThat(service.getMetadata().getAnnotations()).containsEntry("service.cilium.io/affinity", "local");
            assertThat(service.getMetadata().getLabels()).containsEntry("writer", Integer.toString(written.get()));
        }
    }
}
