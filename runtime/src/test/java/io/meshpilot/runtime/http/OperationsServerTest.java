package io.meshpilot.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.runtime.Await;
import io.meshpilot.runtime.metrics.ComponentMetrics;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperationsServerTest {

    private final AtomicReference<String> stopped = new AtomicReference<>();
    private final AtomicReference<String> catchingUp = new AtomicReference<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Vertx vertx;
    private OperationsServer server;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        server = OperationsServer.start(vertx, "127.0.0.1", 0, ComponentMetrics.registry("agent"), new Readiness()
                .check("kafka", () -> Optional.ofNullable(catchingUp.get()))
                .fatalCheck("ownership", () -> Optional.ofNullable(stopped.get())), router -> { });
    }

    @AfterEach
    void stop() {
        Await.result(vertx.close().toCompletionStage(), Duration.ofSeconds(10), "Vert.x");
    }

    @Test
    void aFailingCheckMakesItUnreadyButStillAlive() throws Exception {
        catchingUp.set("has not read the topics yet");

        HttpResponse<String> ready = get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("kafka: has not read the topics yet");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void aFailingFatalCheckMakesItNotAliveSoItIsRestarted() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);

        stopped.set("fenced: another replica uses its transactional id");

        HttpResponse<String> alive = get("/healthz");
        assertThat(alive.statusCode()).isEqualTo(503);
        assertThat(alive.body()).contains("\"status\":\"failed\"")
                .contains("ownership: fenced: another replica uses its transactional id");
        assertThat(get("/readyz").statusCode()).isEqualTo(503);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
