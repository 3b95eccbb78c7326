package io.meshpilot.embedded.kubernetes.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.meshpilot.embedded.kubernetes.KubernetesObjects;
import io.meshpilot.embedded.kubernetes.real.RealApiServer;
import io.meshpilot.embedded.kubernetes.real.RealRegions;
import io.meshpilot.testing.DebianPackages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault proxy in front of a real region: faults for the requests picked, everything else passed through. */
class FaultProxyIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PATCH = "{\"metadata\":{\"annotations\":{\"touched\":\"yes\"}}}";

    private RealApiServer region;
    private FaultProxy proxy;
    private KubernetesClient direct;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        region = RealRegions.acquire("us", 1);
        proxy = FaultProxy.inFrontOf(region);
        direct = region.newClient();
        client = client(Duration.ofSeconds(20));
    }

    private KubernetesClient client(Duration requestTimeout) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(proxy.clientConfig())
                .withRequestRetryBackoffLimit(0).withRequestTimeout((int) requestTimeout.toMillis()).build()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        direct.close();
        proxy.close();
    }

    @Test
    void relaysWatchesAsTheyStream() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Watch watch = client.services().inNamespace("default").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Service service) {
                seen.add(action + " " + service.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            direct.resource(KubernetesObjects.service("default", "alpha", Map.of())).create();
            await().atMost(WAIT).until(() -> seen.contains("ADDED alpha"));
            direct.resource(KubernetesObjects.service("default", "bravo", Map.of())).create();
            await().atMost(WAIT).until(() -> seen.contains("ADDED bravo"));
        }
        assertThat(proxy.answered(ApiRequest.watchesOf("services"), 200)).isPositive();
    }

    @Test
    void failsTheNextPatchesOfOneObjectOnly() {
        direct.resource(KubernetesObjects.service("default", "alpha", Map.of())).create();
        direct.resource(KubernetesObjects.service("default", "bravo", Map.of())).create();
        proxy.fail(ApiRequest.patchesOf("services", "alpha"), 500, 2);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> patch("alpha")).isInstanceOfSatisfying(KubernetesClientException.class,
                    e -> assertThat(e.getCode()).isEqualTo(500));
        }
        patch("bravo");
        patch("alpha");

        assertThat(direct.services().inNamespace("default").withName("alpha").get().getMetadata().getAnnotations())
                .containsEntry("touched", "yes");
        assertThat(proxy.injected()).isEqualTo(2);
        assertThat(proxy.answered(ApiRequest.patchesOf("services", "alpha"), 500)).isZero();
        assertThat(proxy.answered(ApiRequest.patchesOf("services", "alpha"), 200)).isEqualTo(1);
    }

    @Test
    void answersReadsOfOneKindWith503UntilCleared() {
        direct.resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata().build()).create();
        proxy.fail(ApiRequest.readsOf("configmaps"), 503, FaultProxy.UNTIL_CLEARED);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.configMaps().inNamespace("default").withName("settings").get())
                    .isInstanceOfSatisfying(KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(503));
        }
        assertThat(client.services().inNamespace("default").withName("kubernetes").get()).isNotNull();
        proxy.clear();
        assertThat(client.configMaps().inNamespace("default").withName("settings").get()).isNotNull();
    }

    @Test
    void holdsTheAnswerBackPastTheClientsTimeoutWhileTheChangeIsMade() {
        direct.resource(KubernetesObjects.service("default", "alpha", Map.of())).create();
        proxy.slow(ApiRequest.patchesOf("services", "alpha"), Duration.ofSeconds(10), 1);

        try (KubernetesClient impatient = client(Duration.ofSeconds(2))) {
            assertThatThrownBy(() -> impatient.services().inNamespace("default").withName("alpha")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), PATCH)).isInstanceOf(KubernetesClientException.class)
                    .hasMessageContaining("timeout");
        }

        await().atMost(WAIT).until(() -> "yes".equals(direct.services().inNamespace("default").withName("alpha")
                .get().getMetadata().getAnnotations().get("touched")));
        patch("alpha");
    }

    @Test
    void countsTheApiServersOwnConflicts() {
        Service stale = direct.resource(KubernetesObjects.service("default", "alpha", Map.of())).create();
        patch("alpha");

        assertThatThrownBy(() -> client.resource(new ServiceBuilder(stale).editMetadata().addToLabels("writer", "1")
                .endMetadata().build()).update()).isInstanceOfSatisfying(KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));

        assertThat(proxy.answered(ApiRequest.writesTo("services"), 409)).isEqualTo(1);
        assertThat(proxy.injected()).isZero();
    }

    @Test
    void servesKubectlWithItsKubeconfig(@TempDir Path dir) throws Exception {
        Path kubectl = DebianPackages.require("kubectl", "kubectl");
        Path kubeconfig = proxy.writeKubeconfig(dir.resolve("us-through-proxy.kubeconfig"));
        direct.resource(KubernetesObjects.service("default", "alpha", Map.of())).create();

        assertThat(kubectl(kubectl, kubeconfig, "get", "services")).contains("NAME", "TYPE", "CLUSTER-IP", "alpha");
        assertThat(kubectl(kubectl, kubeconfig, "annotate", "service", "alpha", "touched=yes"))
                .contains("service/alpha annotated");
        assertThat(proxy.answered(ApiRequest.patchesOf("services", "alpha"), 200)).isEqualTo(1);
    }

    private static String kubectl(Path kubectl, Path kubeconfig, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString(),
                "--request-timeout=30s"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", arguments) + ": " + output).isZero();
        return output;
    }

    private void patch(String name) {
        client.services().inNamespace("default").withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), PATCH);
    }
}
