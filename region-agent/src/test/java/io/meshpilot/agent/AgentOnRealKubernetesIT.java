package io.meshpilot.agent;

import static io.meshpilot.agent.AgentHarness.KEY;
import static io.meshpilot.agent.AgentHarness.NAMESPACE;
import static io.meshpilot.agent.AgentHarness.SERVICE;
import static io.meshpilot.agent.AgentHarness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshpilot.embedded.kubernetes.faults.ApiRequest;
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
 * and its patches and a concurrent writer's optimistic updates (resourceVersion, 409 on conflict) both land. The
 * conflicts are the API server's own, counted by a fault proxy that injects nothing.
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
        try (AgentHarness region = AgentHarness.behindFaultProxy(kafka, topics, "us");
                KubernetesClient writerClient = new KubernetesClientBuilder()
                        .withConfig(region.faults().clientConfig()).build()) {
            region.createManagedService(SERVICE, 2);
            region.startAgent("agent-us-0");
            Service readBeforeTheAgentWrote = writerClient.services().inNamespace(NAMESPACE).withName(SERVICE).get();
            region.sendDirective(1, "remote");
            await().atMost(WAIT).until(() -> "1".equals(region.annotations(SERVICE)
                    .get("meshpilot.io/directive-version")));
            assertThatThrownBy(() -> writerClient.resource(withWriterLabel(readBeforeTheAgentWrote, 0)).update())
                    .as("an update with the resourceVersion read before the agent's patch")
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode())
                            .isEqualTo(409));

            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger written = new AtomicInteger();
            AtomicInteger conflicts = new AtomicInteger();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                while (writing.get()) {
                    try {
                        // a read-modify-write with the resourceVersion read, as controllers do
                        Service service = writerClient.services().inNamespace(NAMESPACE).withName(SERVICE).get();
                        writerClient.resource(withWriterLabel(service, written.get() + 1)).update();
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
                for (long version = 2; version <= 6; version++) {
                    region.sendDirective(version, version % 2 == 0 ? "local" : "remote");
                }
                await().atMost(WAIT).until(() -> "6".equals(region.annotations(SERVICE)
                        .get("meshpilot.io/directive-version")));
                await().atMost(WAIT).until(() -> written.get() >= 20);
            } finally {
                writing.set(false);
                writer.join();
            }
            Service service = region.kubernetes.services().inNamespace(NAMESPACE).withName(SERVICE).get();
            assertThat(service.getMetadata().getAnnotations()).containsEntry("service.cilium.io/affinity", "local");
            assertThat(service.getMetadata().getLabels()).containsEntry("writer", Integer.toString(written.get()));
            assertThat(region.faults().answered(ApiRequest.writesTo("services"), 409))
                    .as("409 Conflict answers of the API server itself")
                    .isEqualTo(1 + conflicts.get());
            assertThat(region.faults().injected()).isZero();
            System.out.printf("the API server answered 409 to %d of the writer's updates (%d landed)%n",
                    1 + conflicts.get(), written.get());
        }
    }

    private static Service withWriterLabel(Service service, int write) {
        return new ServiceBuilder(service).editMetadata().addToLabels("writer", Integer.toString(write)).endMetadata()
                .build();
    }
}
