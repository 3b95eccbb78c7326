package io.meshpilot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.sandbox.KubernetesBackend;
import io.meshpilot.sandbox.Sandbox;
import io.meshpilot.sandbox.SandboxSettings;
import io.meshpilot.schemas.BuildInfo;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;

/** {@code meshpilot explain}, {@code status} and {@code version} against a running sandbox's control plane. */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Sandbox sandbox;
    private Path stateDir;

    @BeforeAll
    void start(EmbeddedKafkaBroker kafka, Topics topics) throws Exception {
        stateDir = Files.createTempDirectory("explain-it");
        sandbox = Sandbox.start(new SandboxSettings(List.of("us", "eu"), Optional.of(kafka.bootstrapServers()),
                topics, stateDir, 2, 0, KubernetesBackend.REAL), Clock.systemUTC());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(run("explain", "default/hello-world"))
                .contains("agent: Applied directive 1"));
        // settled: every region's two pods ready, so that two reads in a row (JSON, then YAML) see the same
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(JSON.readTree(run("explain",
                "default/hello-world", "-o", "json")).get("regions")).hasSize(2)
                .allSatisfy(region -> assertThat(region.at("/health/ready").asInt()).isEqualTo(2)));
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @Test
    void explainsTheDecisionRegionByRegion() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(run("explain", "default/hello-world"))
                .contains("default/hello-world: policy default (mode auto")
                .contains("  eu       healthy   local-healthy")
                .contains("  us       healthy   local-healthy")
                .contains("global=true shared=true affinity=local")
                .contains("agent: Applied directive 1")
                .contains("clients reach: us (2 backends)"));
    }

    @Test
    void explainsAsTheApiInJsonAndYaml() throws Exception {
        JsonNode json = JSON.readTree(run("explain", "default/hello-world", "-o", "json"));
        assertThat(json.get("namespace").asText()).isEqualTo("default");
        assertThat(json.get("regions")).hasSize(2);
        assertThat(json.at("/regions/0/directive/annotations").has("service.cilium.io/global")).isTrue();

        Object yaml = new Load(LoadSettings.builder().build()).loadFromString(run("explain", "default/hello-world",
                "-o", "yaml"));
        JsonNode fromYaml = JSON.valueToTree(yaml);
        assertThat(fromYaml).isEqualTo(json);
    }

    @Test
    void listsTheServicesWithFilters() throws Exception {
        assertThat(run("status").lines()).containsExactly(
                "NAMESPACE   NAME          REGION   STATE     GLOBAL   SHARED   AFFINITY   REASON",
                "default     hello-world   eu       healthy   true     true     local      local-healthy",
                "default     hello-world   us       healthy   true     true     local      local-healthy");

        JsonNode list = JSON.readTree(run("status", "-o", "json", "--region", "us", "--state", "healthy"));
        assertThat(list.get("total").asInt()).isEqualTo(1);
        assertThat(list.at("/items/0/name").asText()).isEqualTo("hello-world");
        assertThat(list.at("/items/0/regions/0/affinity").asText()).isEqualTo("local");
        assertThat(JSON.readTree(run("status", "-o", "json", "-n", "kube-system")).get("total").asInt()).isZero();
        assertThat(JSON.readTree(run("status", "-o", "json", "--state", "degraded")).get("items")).isEmpty();
        assertThat(run("status", "--state", "sideways")).isEmpty();
    }

    @Test
    void printsTheServersBuild() throws Exception {
        assertThat(run("version")).isEqualTo("Client Version: " + BuildInfo.version() + System.lineSeparator()
                + "Server Version: " + BuildInfo.version() + " (" + sandbox.controlPlaneUrl() + ")"
                + System.lineSeparator());
        JsonNode json = JSON.readTree(run("version", "-o", "json"));
        assertThat(json.at("/serverVersion/version").asText()).isEqualTo(BuildInfo.version());
        assertThat(json.at("/serverVersion/component").asText()).isEqualTo("control-plane");
    }

    private String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine commandLine = MeshpilotCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(new StringWriter(), true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", sandbox.controlPlaneUrl()));
        commandLine.execute(all.toArray(String[]::new));
        return out.toString();
    }
}
