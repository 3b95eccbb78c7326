package io.meshpilot.controlplane;

import static io.meshpilot.controlplane.Regions.NONE_READY;
import static io.meshpilot.controlplane.Regions.READY;
import static io.meshpilot.controlplane.Regions.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two replicas started with one {@code --replica-id} share a transactional id: the second fences the first, which
 * stops deciding for good. It then fails liveness, not only readiness, so Kubernetes restarts it instead of leaving a
 * replica that serves nothing.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DuplicateReplicaIdIT {

    private static final List<String> SERVICES = IntStream.range(0, 8).mapToObj(i -> "svc-" + i).toList();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theFencedReplicaFailsLivenessAndTheOtherStaysAlive(EmbeddedKafkaBroker kafka, Topics topics)
            throws Exception {
        try (Regions regions = new Regions(kafka, topics, "us", "eu")) {
            ControlPlane first = regions.startControlPlane("cp-same");
            regions.heartbeats("us", "eu");
            SERVICES.forEach(service -> {
                regions.health("eu", service, READY);
                regions.health("us", service, READY);
            });
            await().atMost(WAIT).until(() -> status(first, "/healthz") == 200 && status(first, "/readyz") == 200);

            ControlPlane second = regions.startControlPlane("cp-same");
            regions.heartbeats("us", "eu");
            SERVICES.forEach(service -> regions.health("us", service, NONE_READY));

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(status(first, "/healthz")).as("the fenced replica's liveness").isEqualTo(503);
                assertThat(body(first, "/healthz")).contains("ownership: fenced");
            });
            assertThat(status(second, "/healthz")).isEqualTo(200);
        }
    }

    private int status(ControlPlane controlPlane, String path) throws Exception {
        return get(controlPlane, path).statusCode();
    }

    private String body(ControlPlane controlPlane, String path) throws Exception {
        return get(controlPlane, path).body();
    }

    private HttpResponse<String> get(ControlPlane controlPlane, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPlane.httpPort() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
