package io.meshpilot.embedded.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded backend itself (fabric8's mock server), which the sandbox and the demo still offer machines without
 * Go as {@code --kubernetes embedded}: nothing else can serve a test of it. Every other test runs on real regions.
 */
class EmbeddedApiServerIT {

    @Test
    void storesObjectsAndServesThemThroughItsKubeconfig(@TempDir Path dir) throws Exception {
        try (EmbeddedApiServer server = EmbeddedApiServer.start("us")) {
            assertThat(server.url()).startsWith("http://127.0.0.1:");
            try (KubernetesClient client = server.newClient()) {
                client.services().inNamespace("default").resource(helloWorld()).create();
            }

            Path kubeconfig = server.writeKubeconfig(dir.resolve("us.kubeconfig"));
            Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
            try (KubernetesClient fromFile = new KubernetesClientBuilder().withConfig(config).build()) {
                assertThat(fromFile.getMasterUrl().toString()).startsWith(server.url());
                assertThat(fromFile.services().inNamespace("default").withName("hello-world").get()
                        .getMetadata().getLabels()).containsEntry("meshpilot.io/managed", "true");
            }
        }
    }

    @Test
    void rejectsAnUpdateWithAStaleResourceVersion() {
        try (EmbeddedApiServer server = EmbeddedApiServer.start("eu");
             KubernetesClient client = server.newClient()) {
            Service created = client.services().inNamespace("default").resource(helloWorld()).create();
            client.services().inNamespace("default").withName("hello-world")
                    .edit(service -> new ServiceBuilder(service).editMetadata().addToAnnotations("a", "1")
                            .endMetadata().build());

            Service stale = new ServiceBuilder(created).editMetadata().addToAnnotations("a", "2").endMetadata().build();
            assertThatThrownBy(() -> client.services().inNamespace("default").resource(stale).update())
                    .isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
        }
    }

    private static Service helloWorld() {
        return new ServiceBuilder().withNewMetadata().withName("hello-world").withNamespace("default")
                .addToLabels("meshpilot.io/managed", "true").endMetadata()
                .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build();
    }
}
