package io.meshpilot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.BrowserScript;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.MetricsPage;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, point 4: the mesh view in a real browser (Debian's Chromium under playwright-core) on a sandbox. It sees
 * hello-world in every region, sees us fail over without a reload when us is scaled to 0 (as the demo does), and
 * reads the routes on the Service's page. The screenshots it takes go to target/screenshots, or to the directory
 * named by {@code -Dmeshpilot.screenshots} (the docs' pictures: {@code -Dmeshpilot.screenshots=../docs/images}).
 */
@ExtendWith(KafkaBrokerExtension.class)
class MeshViewBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String HELLO_WORLD = WalkthroughWorkload.NAMESPACE + "/" + WalkthroughWorkload.SERVICE;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // the first run on a machine installs Chromium and playwright-core
    void showsEveryRegionFailsOverLiveAndReadsTheRoutes(EmbeddedKafkaBroker kafka, Topics topics,
            @TempDir Path stateDir) {
        SandboxSettings settings = new SandboxSettings(List.of("us", "eu"), Optional.of(kafka.bootstrapServers()),
                topics, stateDir, 2, 0, KubernetesBackend.REAL);
        Path screenshots = screenshots();
        try (Sandbox sandbox = Sandbox.start(settings, Clock.systemUTC());
                BrowserScript browser = BrowserScript.start("browser/mesh-view.js", stateDir.resolve("browser"),
                        List.of(sandbox.controlPlaneUrl()))) {
            JsonObject opened = call(browser, new JsonObject().put("cmd", "open"));
            assertThat(opened.getInteger("rows")).isEqualTo(1);
            for (String region : List.of("us", "eu")) {
                call(browser, awaitCell(region, "healthy"));
            }
            JsonObject cells = call(browser, new JsonObject().put("cmd", "cells").put("key", HELLO_WORLD));
            assertThat(cells.fieldNames()).containsExactlyInAnyOrder("us", "eu");
            assertThat(cells.getJsonObject("us").getString("text"))
                    .isEqualTo("✓healthy affinity local · shared yes local-healthy");

            sandbox.region("us").scaleHelloWorld(0, 0);

            JsonObject failedOver = call(browser, awaitCell("us", "failed over"));
            assertThat(failedOver.getBoolean("reloaded")).isFalse();
            assertThat(failedOver.getInteger("updates")).isPositive();
            cells = call(browser, new JsonObject().put("cmd", "cells").put("key", HELLO_WORLD));
            assertThat(cells.getJsonObject("us").getString("text"))
                    .isEqualTo("↪failed over affinity remote · shared no local-degraded");
            assertThat(cells.getJsonObject("eu").getString("label")).isEqualTo("healthy");
            reportUpdateDelay(sandbox, failedOver.getLong("seenAt"));
            call(browser, new JsonObject().put("cmd", "screenshot")
                    .put("path", screenshots.resolve("mesh-view-grid.png").toString()));

            JsonObject service = call(browser, new JsonObject().put("cmd", "openService").put("key", HELLO_WORLD));
            assertThat(service.getString("title")).isEqualTo(HELLO_WORLD);
            assertThat(service.getBoolean("reloaded")).isFalse();
            assertThat(service.getJsonObject("routes").getJsonArray("us").getList())
                    .containsExactly("eu: 2 backends");
            assertThat(service.getJsonObject("routes").getJsonArray("eu").getList())
                    .containsExactly("eu: 2 backends");
            assertThat(service.getJsonObject("cards").getString("us"))
                    .contains("0 ready", "affinity=remote", "local-degraded", "Applied");
            assertThat(service.getInteger("decisions")).isPositive();
            call(browser, new JsonObject().put("cmd", "screenshot")
                    .put("path", screenshots.resolve("mesh-view-service.png").toString()));

            call(browser, new JsonObject().put("cmd", "grid"));
            assertThat(filter(browser, "region", "eu")).containsExactly(HELLO_WORLD);
            assertThat(call(browser, new JsonObject().put("cmd", "cells").put("key", HELLO_WORLD)).fieldNames())
                    .containsExactly("eu");
            assertThat(filter(browser, "state", "healthy")).containsExactly(HELLO_WORLD);
            assertThat(filter(browser, "region", "")).containsExactly(HELLO_WORLD);
            assertThat(filter(browser, "state", "drained")).isEmpty();
            assertThat(filter(browser, "state", "degraded")).containsExactly(HELLO_WORLD);
            assertThat(filter(browser, "namespace", "default")).containsExactly(HELLO_WORLD);

            JsonObject problems = call(browser, new JsonObject().put("cmd", "problems"));
            assertThat(problems.getJsonArray("problems")).as("page errors").isEmpty();
            assertThat(problems.getJsonArray("outside")).as("requests to anything but the control plane").isEmpty();
            browser.send("{\"cmd\":\"quit\"}");
        }
    }

    /** Chooses a filter in the page's form; returns the Services the grid then shows. */
    private static List<Object> filter(BrowserScript browser, String name, String value) {
        browser.send(new JsonObject().put("cmd", "filter").put("name", name).put("value", value).encode());
        return new io.vertx.core.json.JsonArray(browser.await("ok ", WAIT)).getList();
    }

    private static JsonObject awaitCell(String region, String label) {
        return new JsonObject().put("cmd", "awaitCell").put("key", HELLO_WORLD).put("region", region)
                .put("label", label).put("timeoutMs", WAIT.toMillis());
    }

    private static JsonObject call(BrowserScript browser, JsonObject command) {
        browser.send(command.encode());
        return new JsonObject(browser.await("ok ", WAIT.plusSeconds(30)));
    }

    /** Prints how long after the decision the browser showed it (a measurement, not an assertion). */
    private static void reportUpdateDelay(Sandbox sandbox, long seenAtMillis) {
        int port = URI.create(sandbox.controlPlaneUrl()).getPort();
        JsonObject detail = new JsonObject(MetricsPage.get(port, "/api/v1/services/" + HELLO_WORLD).body());
        Instant decidedAt = detail.getJsonArray("regions").stream().map(JsonObject.class::cast)
                .filter(region -> region.getString("region").equals("us"))
                .map(region -> Instant.parse(region.getJsonObject("directive").getString("decidedAt"))).findFirst()
                .orElseThrow();
        System.out.printf("mesh view: us shown failed over %d ms after the decision%n",
                seenAtMillis - decidedAt.toEpochMilli());
    }

    private static Path screenshots() {
        Path dir = Path.of(System.getProperty("meshpilot.screenshots", "target/screenshots"));
        try {
            return Files.createDirectories(dir).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
