package io.meshpilot.controlplane;

import static io.meshpilot.controlplane.Regions.NONE_READY;
import static io.meshpilot.controlplane.Regions.READY;
import static io.meshpilot.controlplane.Regions.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.MetricsPage;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 23: the live view's server side over real HTTP: the page and its files from the jar (nothing from elsewhere),
 * the overview, and the event stream carrying a changed Service and its Decision as they happen. The page itself
 * is tested in a real browser by the sandbox's MeshViewBrowserIT.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MeshViewIT {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private Regions regions;
    private int port;

    @BeforeEach
    void start(EmbeddedKafkaBroker kafka, Topics topics) {
        regions = new Regions(kafka, topics, "us", "eu");
        port = regions.startControlPlane("cp-0").httpPort();
        regions.heartbeats("us", "eu");
        regions.health("eu", "alpha", READY);
        regions.health("us", "alpha", READY);
        await().atMost(WAIT).until(() -> get("/api/v1/services?state=healthy&region=us").body().contains("alpha"));
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    @Test
    void servesThePageFromTheJarWithNothingFetchedFromElsewhere() {
        HttpResponse<String> page = get("/ui/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<script src=\"app.js\"></script>", "href=\"style.css\"");
        for (String file : List.of("/ui/", "/ui/app.js", "/ui/style.css")) {
            HttpResponse<String> asset = get(file);
            assertThat(asset.statusCode()).as(file).isEqualTo(200);
            assertThat(asset.body()).as(file).doesNotContain("http://", "https://", "//cdn", "@import");
        }
        assertThat(get("/ui").statusCode()).isEqualTo(302);
        assertThat(get("/ui/missing.js").statusCode()).isEqualTo(404);
    }

    @Test
    void overviewCountsEachRegionsServicesByState() {
        JsonObject overview = new JsonObject(get("/ui/overview").body());

        assertThat(overview.getInteger("services")).isEqualTo(1);
        assertThat(overview.getJsonArray("namespaces").getList()).containsExactly("default");
        JsonObject eu = overview.getJsonArray("regions").getJsonObject(0);
        assertThat(eu.getString("region")).isEqualTo("eu");
        assertThat(eu.getJsonObject("states").getMap()).containsEntry("healthy", 1);
        assertThat(eu.getBoolean("stale")).isFalse();
    }

    @Test
    void streamsAChangedServiceAndItsDecisionAsTheyHappen() {
        Queue<String> lines = new ConcurrentLinkedQueue<>();
        HttpResponse<Stream<String>> stream = http.sendAsync(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/ui/events")).build(), HttpResponse.BodyHandlers.ofLines()).join();
        assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        Thread reader = new Thread(() -> stream.body().forEach(lines::add), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        await().atMost(WAIT).until(() -> lines.contains("event: hello"));

        regions.health("us", "alpha", NONE_READY);

        await().atMost(WAIT).untilAsserted(() -> assertThat(data(lines, "services")).anySatisfy(change -> {
            JsonObject us = change.getJsonArray("items").getJsonObject(0).getJsonArray("regions").getJsonObject(1);
            assertThat(us.getString("region")).isEqualTo("us");
            assertThat(us.getString("affinity")).isEqualTo("remote");
            assertThat(us.getString("reason")).isEqualTo("local-degraded");
        }));
        await().atMost(WAIT).untilAsserted(() -> assertThat(data(lines, "decision")).anySatisfy(decision ->
                assertThat(decision.encode()).contains("\"service\":\"alpha\"", "\"reason\":\"local-degraded\"")));
        stream.body().close();
    }

    @Test
    void aViewerThatConnectsLaterIsSentTheRecentDecisions() {
        regions.health("us", "alpha", NONE_READY);
        await().atMost(WAIT).until(() -> get("/api/v1/services?state=degraded").body().contains("alpha"));

        await().atMost(WAIT).until(() -> new JsonObject(get("/ui/overview").body()).getInteger("decisions") == 2);

        List<String> lines = new java.util.ArrayList<>();
        HttpResponse<Stream<String>> stream = http.sendAsync(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/ui/events")).build(), HttpResponse.BodyHandlers.ofLines()).join();
        try (Stream<String> body = stream.body()) {
            var iterator = body.iterator();
            while (lines.stream().filter(line -> line.equals("event: decision")).count() < 2 || lines.size() < 2
                    || !lines.get(lines.size() - 2).equals("event: decision")) {
                lines.add(iterator.next());
            }
            lines.add(iterator.next());
        }
        assertThat(data(new ConcurrentLinkedQueue<>(lines), "decision")).extracting(decision -> decision
                .getJsonArray("regions").getJsonObject(1).getString("reason"))
                .containsExactly("local-healthy", "local-degraded");
    }

    private static List<JsonObject> data(Queue<String> lines, String event) {
        List<String> all = List.copyOf(lines);
        return java.util.stream.IntStream.range(0, all.size() - 1)
                .filter(i -> all.get(i).equals("event: " + event) && all.get(i + 1).startsWith("data: "))
                .mapToObj(i -> new JsonObject(all.get(i + 1).substring(6))).toList();
    }

    private HttpResponse<String> get(String path) {
        return MetricsPage.get(port, path);
    }
}
