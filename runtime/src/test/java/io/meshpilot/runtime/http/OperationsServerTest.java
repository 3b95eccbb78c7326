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

    @Test
    void metricsAreServedAsPrometheusTextOpenMetricsAndGzip() throws Exception {
        HttpResponse<String> text = get("/metrics");
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(text.body()).contains("meshpilot_build_info{component=\"agent\"");

        HttpResponse<String> openMetrics = get("/metrics", "Accept",
                "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(openMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/openmetrics-text"));
        assertThat(openMetrics.body()).contains("# TYPE meshpilot_build info").endsWith("# EOF\n");

        HttpResponse<byte[]> gzipped = http.send(request("/metrics").header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("meshpilot_build_info");
        }

        assertThat(get("/metrics?name%5B%5D=meshpilot_build_info").body()).contains("meshpilot_build_info")
                .doesNotContain("jvm_");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5));
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = request(path);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
