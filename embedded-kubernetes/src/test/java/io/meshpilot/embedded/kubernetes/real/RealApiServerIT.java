package io.meshpilot.embedded.kubernetes.real;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshpilot.embedded.kubernetes.KubernetesObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real region: its controllers and KWOK turn a Deployment into Running, Ready pods and EndpointSlices. */
class RealApiServerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aDeploymentBecomesReadyPodsAndEndpointSlices(@TempDir Path dir) throws Exception {
        RealApiServer region = RealRegions.acquire("us", 1);
        Path kubeconfig = region.writeKubeconfig(dir.resolve("us.kubeconfig"));
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
            assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.37.2");
            client.resource(KubernetesObjects.service("default", "hello-world", Map.of("meshpilot.io/managed", "true")))
                    .create();
            client.resource(deployment("hello-world", 2)).create();

            await().atMost(WAIT).untilAsserted(() -> assertThat(readyPods(client)).hasSize(2));
            assertThat(readyPods(client)).allSatisfy(pod -> assertThat(pod.getStatus().getPodIP()).startsWith("10.1."));
            await().atMost(WAIT).untilAsserted(() -> assertThat(slices(client)).singleElement()
                    .satisfies(slice -> assertThat(slice.getEndpoints()).hasSize(2)
                            .allSatisfy(endpoint -> assertThat(endpoint.getConditions().getReady()).isTrue())));
            assertThat(slices(client).get(0).getMetadata().getLabels())
                    .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");

            client.apps().deployments().inNamespace("default").withName("hello-world").scale(0);
            await().atMost(WAIT).untilAsserted(() -> assertThat(client.pods().inNamespace("default").list()
                    .getItems()).isEmpty());
        }
    }

    @Test
    void rejectsAStaleUpdateAndKeepsItsDataOverAnApiServerRestart() {
        RealApiServer region = RealRegions.acquire("us", 1);
        try (KubernetesClient client = region.newClient()) {
            Service created = client.resource(KubernetesObjects.service("default", "hello-world", Map.of())).create();
            client.services().inNamespace("default").withName("hello-world").edit(service ->
                    new ServiceBuilder(service).editMetadata().addToAnnotations("a", "1").endMetadata().build());
            Service stale = new ServiceBuilder(created).editMetadata().addToAnnotations("a", "2").endMetadata().build();
            assertThatThrownBy(() -> client.resource(stale).update())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

            region.restartApiServer();

            assertThat(client.services().inNamespace("default").withName("hello-world").get().getMetadata()
                    .getAnnotations()).containsEntry("a", "1");
        }
    }

    @Test
    void aSecondUserFindsTheRegionEmpty() {
        RealApiServer first = RealRegions.acquire("eu", 2);
        try (KubernetesClient client = first.newClient()) {
            client.resource(KubernetesObjects.service("default", "left-over", Map.of())).create();
            client.resource(deployment("left-over", 1)).create();
            await().atMost(WAIT).until(() -> readyPods(client).size() == 1);
        }
        RealApiServer second = RealRegions.acquire("eu", 2);
        assertThat(second).isSameAs(first);
        try (KubernetesClient client = second.newClient()) {
            assertThat(client.services().inNamespace("default").list().getItems())
                    .extracting(service -> service.getMetadata().getName()).containsExactly("kubernetes");
            assertThat(client.pods().inNamespace("default").list().getItems()).isEmpty();
            assertThat(client.apps().deployments().inNamespace("default").list().getItems()).isEmpty();
        }
    }

    private static List<Pod> readyPods(KubernetesClient client) {
        return client.pods().inNamespace("default").list().getItems().stream()
                .filter(pod -> pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .toList();
    }

    private static List<EndpointSlice> slices(KubernetesClient client) {
        return client.discovery().v1().endpointSlices().inNamespace("default")
                .withLabel(KubernetesObjects.SERVICE_NAME_LABEL, "hello-world").list().getItems();
    }

    static Deployment deployment(String name, int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("echo").withImage("docker.io/cilium/json-mock:1.2")
                .addNewPort().withContainerPort(8080).endPort().endContainer().endSpec().endTemplate().endSpec()
                .build();
    }
}
