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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 4, point 5: the HTTP API over real HTTP on loopback. */
@ExtendWith(KafkaBrokerExtension.class)
class ServicesApiIT {

    private Regions regions;
    private int port;

    @BeforeEach
    void start(EmbeddedKafkaBroker kafka, Topics topics) {
        regions = new Regions(kafka, topics, "us", "eu");
        port = regions.startControlPlane("cp-0").httpPort();
        regions.heartbeats("us", "eu");
        for (String service : List.of("alpha", "bravo", "charlie")) {
            regions.health("eu", service, READY);
            regions.health("us", service, "bravo".equals(service) ? NONE_READY : READY);
        }
        await().atMost(WAIT).until(() -> get("/api/v1/services?state=degraded").body().contains("bravo"));
    }

    @org.junit.jupiter.api.AfterEach
    void stop() {
        regions.close();
    }

    @Test
    void listsServicesWithTheirRegionsInPagesAndByFilter() {
        JsonObject all = json(get("/api/v1/services"));
        assertThat(all.getInteger("total")).isEqualTo(3);
        assertThat(names(all)).containsExactly("alpha", "bravo", "charlie");

        JsonObject first = json(get("/api/v1/services?limit=2"));
        assertThat(names(first)).containsExactly("alpha", "bravo");
        assertThat(first.getString("next")).isEqualTo("default/bravo");
        JsonObject second = json(get("/api/v1/services?limit=2&page=default/bravo"));
        assertThat(names(second)).containsExactly("charlie");
        assertThat(second.containsKey("next")).isFalse();

        assertThat(names(json(get("/api/v1/services?region=us&state=degraded")))).containsExactly("bravo");
        assertThat(names(json(get("/api/v1/services?region=eu&state=degraded")))).isEmpty();
        assertThat(names(json(get("/api/v1/services?namespace=other")))).isEmpty();
        JsonObject bravo = json(get("/api/v1/services?state=degraded")).getJsonArray("items").getJsonObject(0);
        JsonObject us = bravo.getJsonArray("regions").getJsonObject(1);
        assertThat(us.getString("region")).isEqualTo("us");
        assertThat(us.getString("affinity")).isEqualTo("remote");
        assertThat(us.getBoolean("shared")).as("make before break: no agent reported eu's export applied")
                .isTrue();
        assertThat(us.getString("reason")).isEqualTo("local-degraded");
    }

    @Test
    void explainsOneServiceRegionByRegionWithTheBackendsItsClientsReach() {
        JsonObject bravo = json(get("/api/v1/services/default/bravo"));

        assertThat(bravo.getJsonObject("policy").getString("scope")).isEqualTo("default");
        JsonObject eu = bravo.getJsonArray("regions").getJsonObject(0);
        JsonObject us = bravo.getJsonArray("regions").getJsonObject(1);
        assertThat(us.getString("state")).isEqualTo("degraded");
        assertThat(us.getJsonObject("health").getInteger("ready")).isZero();
        assertThat(us.getJsonObject("directive").getJsonObject("annotations").getMap())
                .containsEntry("service.cilium.io/affinity", "remote");
        assertThat(us.getString("lastChange")).isNotBlank();
        assertThat(us.getJsonObject("routes").getMap()).containsOnlyKeys("eu");
        assertThat(eu.getJsonObject("routes").getMap()).containsOnlyKeys("eu");
    }

    @Test
    void answersErrorsAsJsonWithAMessage() {
        HttpResponse<String> missing = get("/api/v1/services/default/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).getString("message")).isEqualTo("no Service default/nope in any region");

        HttpResponse<String> badState = get("/api/v1/services?state=sideways");
        assertThat(badState.statusCode()).isEqualTo(400);
        assertThat(json(badState).getString("message")).startsWith("state 'sideways' must be one of");
        assertThat(get("/api/v1/services?limit=0").statusCode()).isEqualTo(400);
        assertThat(json(get("/api/v1/services?region=US")).getString("message"))
                .startsWith("region 'US' must be a DNS-1123 label");
    }

    @Test
    void saysWhichBuildItRuns() {
        JsonObject build = json(get("/api/v1/version"));

        assertThat(build.getString("component")).isEqualTo("control-plane");
        assertThat(build.getString("version")).isEqualTo(io.meshpilot.schemas.BuildInfo.version());
    }

    @Test
    void servesHealthReadinessAndMetrics() {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        MetricsPage metrics = MetricsPage.scrape(port);
        assertThat(metrics.value("meshpilot_decisions_total{reason=\"local-degraded\"}")).isEqualTo(1);
        assertThat(metrics.value("meshpilot_failovers_total")).isEqualTo(1);
        assertThat(metrics.value("meshpilot_control_plane_transactions_total{outcome=\"committed\"}")).isPositive();
        assertThat(metrics.value("meshpilot_decision_latency_seconds_count")).isPositive();
        assertThat(metrics.value("meshpilot_records_received_total{topic=\"health\"}")).isEqualTo(6);
    }

    private HttpResponse<String> get(String path) {
        return MetricsPage.get(port, path);
    }

    private static JsonObject json(HttpResponse<String> response) {
        return new JsonObject(response.body());
    }

    private static List<String> names(JsonObject page) {
        JsonArray items = page.getJsonArray("items");
        return items.stream().map(item -> ((JsonObject) item).getString("name")).toList();
    }
}
