package io.meshpilot.controlplane;

import static io.meshpilot.controlplane.Regions.NONE_READY;
import static io.meshpilot.controlplane.Regions.READY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.MetricsPage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 22, point 1: {@code POST /api/v1/what-if} over real HTTP on loopback, on a control plane reading Kafka. */
@ExtendWith(KafkaBrokerExtension.class)
class WhatIfApiIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    private Regions regions;
    private int port;

    @BeforeEach
    void start(EmbeddedKafkaBroker kafka, Topics topics) {
        regions = new Regions(kafka, topics, "us", "eu");
        ControlPlane controlPlane = regions.startControlPlane("cp-0");
        port = controlPlane.httpPort();
        // On a loaded machine the first control plane of a fresh broker takes minutes to join its group.
        await().atMost(Duration.ofMinutes(3)).until(() -> controlPlane.ready().toCompletableFuture().isDone());
        regions.heartbeats("us", "eu");
        for (String service : List.of("alpha", "bravo")) {
            regions.health("eu", service, "bravo".equals(service) ? NONE_READY : READY);
            regions.health("us", service, READY);
        }
        // The agents keep heartbeating while the control plane catches up (on a loaded machine the first test in a
        // JVM waits for the broker and the JIT longer than staleAfter).
        await().atMost(STARTUP).ignoreExceptions().until(() -> {
            regions.heartbeats("us", "eu");
            return MetricsPage.get(port, "/api/v1/services?state=degraded").body().contains("bravo");
        });
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    @Test
    void aRegionDownAnswersTheDirectivesThatWouldChangeAndTheOutagesAndPublishesNothing() {
        double sentBefore = directivesSent();

        HttpResponse<String> response = post("{\"changes\":[{\"region\":\"us\",\"change\":\"down\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject report = new JsonObject(response.body());
        assertThat(report.getBoolean("published")).isFalse();
        assertThat(report.getJsonArray("globalOutages")).containsExactly("default/bravo");
        JsonObject alpha = service(report, "alpha");
        JsonObject us = alpha.getJsonArray("regions").getJsonObject(1);
        assertThat(us.getString("region")).isEqualTo("us");
        assertThat(us.getBoolean("directiveChanges")).isTrue();
        assertThat(us.getJsonObject("before").getString("reason")).isEqualTo("local-healthy");
        assertThat(us.getJsonObject("after").getString("reason")).isEqualTo("local-degraded");
        assertThat(us.getJsonObject("after").getString("affinity")).isEqualTo("remote");
        assertThat(us.getJsonObject("after").getJsonObject("routes").getMap()).containsOnlyKeys("eu");
        assertThat(service(report, "bravo").getBoolean("globalOutageAfter")).isTrue();

        JsonObject inForce = new JsonObject(MetricsPage.get(port, "/api/v1/services/default/alpha").body());
        assertThat(inForce.getJsonArray("regions").getJsonObject(1).getString("reason"))
                .isEqualTo("local-healthy");
        assertThat(directivesSent()).isEqualTo(sentBefore);
    }

    @Test
    void aPolicyNotYetAppliedIsJudgedAndSimulated() {
        HttpResponse<String> response = post("{\"policies\":[{\"apiVersion\":\"meshpilot.io/v1\","
                + "\"kind\":\"TrafficPolicy\",\"scope\":\"default/alpha\",\"mode\":\"remote\"}]}");

        JsonObject report = new JsonObject(response.body());
        assertThat(report.getInteger("unchanged")).isEqualTo(1);
        JsonObject alpha = service(report, "alpha");
        assertThat(alpha.getString("policyAfter")).isEqualTo("default/alpha");
        assertThat(alpha.getJsonArray("regions").getJsonObject(0).getJsonObject("after").getString("reason"))
                .isEqualTo("pinned-by-policy");
    }

    @Test
    void aBadBodyIsAnsweredWith400NamingTheField() {
        assertThat(problem("{\"changes\":[{\"region\":\"ap\",\"change\":\"down\"}]}"))
                .isEqualTo("changes[0].region: 'ap' is not a known region [eu, us]");
        assertThat(problem("{\"changes\":[{\"region\":\"us\",\"change\":\"sideways\"}]}"))
                .startsWith("changes[0].change: 'sideways' must be one of [down, degraded, drained, stale]");
        assertThat(problem("{\"changes\":[{\"region\":\"us\",\"change\":\"degraded\"}]}"))
                .startsWith("changes[0].ready: ");
        assertThat(problem("{\"policies\":[{\"apiVersion\":\"meshpilot.io/v1\",\"kind\":\"TrafficPolicy\","
                + "\"scope\":\"default/alpha\",\"minReadyEndpoints\":0}]}"))
                .startsWith("policies[0].minReadyEndpoints: ");
        assertThat(problem("{\"change\":[]}")).startsWith("change: unknown field");
        assertThat(problem("[1]")).isEqualTo("$: the body must be a JSON object");
    }

    private String problem(String body) {
        HttpResponse<String> response = post(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        return new JsonObject(response.body()).getString("message");
    }

    private double directivesSent() {
        return MetricsPage.scrape(port).value("meshpilot_records_sent_total{outcome=\"success\",topic=\"directives\"}");
    }

    private static JsonObject service(JsonObject report, String name) {
        JsonArray services = report.getJsonArray("services");
        return services.stream().map(JsonObject.class::cast).filter(service -> service.getString("name")
                .equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " not in " + report));
    }

    private HttpResponse<String> post(String body) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/what-if")).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
