package io.meshpilot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.sandbox.KubernetesBackend;
import io.meshpilot.sandbox.Sandbox;
import io.meshpilot.sandbox.SandboxSettings;
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
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;

/**
 * Issue 22, point 1: {@code meshpilot what-if} and {@code meshpilot policy apply --what-if} against a running
 * sandbox's control plane, over real HTTP on loopback; nothing they ask changes the mesh or the policies topic.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WhatIfIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Sandbox sandbox;
    private EmbeddedKafkaBroker kafka;
    private Topics topics;
    private Path stateDir;
    private StringWriter out;
    private StringWriter err;

    @BeforeAll
    void start(EmbeddedKafkaBroker broker, Topics prefix) throws Exception {
        kafka = broker;
        topics = prefix;
        stateDir = Files.createTempDirectory("what-if-it");
        sandbox = Sandbox.start(new SandboxSettings(List.of("us", "eu"), Optional.of(kafka.bootstrapServers()),
                topics, stateDir, 2, 0, KubernetesBackend.REAL), Clock.systemUTC());
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(api("explain", "default/hello-world")).isZero();
            assertThat(out.toString()).contains("agent: Applied directive 1");
            assertThat(out.toString().split("agent: Applied directive 1", -1)).hasSize(3);
        });
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @Test
    void aRegionDownShowsTheDirectivesAndRoutesThatWouldChangeAndChangesNothing() {
        assertThat(api("what-if", "--down", "us")).as(err.toString()).isZero();

        assertThat(out.toString().lines()).anyMatch(line -> line.matches(
                "SERVICE +REGION +BEFORE +AFTER +CLIENTS REACH \\(BEFORE -> AFTER\\)"))
                .anyMatch(line -> line.matches("default/hello-world +us +local-healthy local,exports +"
                        + "local-degraded remote,withdrawn +us\\(2\\) -> eu\\(2\\)"))
                .contains("No Service would end in a global outage.",
                        "1 Services would change, 0 would not. Nothing was changed.");
        assertThat(affinity("us")).isEqualTo("local");
        assertThat(api("explain", "default/hello-world")).isZero();
        assertThat(out.toString()).contains("  us       healthy   local-healthy");
    }

    @Test
    void everyRegionDownIsAGlobalOutageInJsonAndYaml() throws Exception {
        assertThat(api("what-if", "--down", "us,eu", "-o", "json")).isZero();
        JsonNode json = JSON.readTree(out.toString());
        assertThat(json.get("published").asBoolean()).isFalse();
        assertThat(json.get("globalOutages")).containsExactly(JSON.getNodeFactory().textNode("default/hello-world"));
        assertThat(json.at("/services/0/regions/1/after/reason").asText()).isEqualTo("no-healthy-target");

        assertThat(api("what-if", "--down", "us,eu", "-o", "yaml")).isZero();
        JsonNode yaml = JSON.valueToTree(new Load(LoadSettings.builder().build()).loadFromString(out.toString()));
        assertThat(yaml.get("globalOutages")).isEqualTo(json.get("globalOutages"));
    }

    @Test
    void aDegradedRegionAboveTheMinimumChangesOnlyTheRoutes() throws Exception {
        assertThat(api("what-if", "--degraded", "us=1", "-o", "json")).isZero();

        JsonNode us = JSON.readTree(out.toString()).at("/services/0/regions/1");
        assertThat(us.get("directiveChanges").asBoolean()).isFalse();
        assertThat(us.at("/after/routes/us").asInt()).isEqualTo(1);
    }

    @Test
    void policyApplyWhatIfShowsThePolicysEffectAndWritesNothing(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("drain-us.yaml");
        Files.writeString(file, """
                scope: default/hello-world
                drain: [us]
                """);

        assertThat(both("policy", "apply", "--what-if", "-f", file.toString())).as(err.toString()).isZero();

        assertThat(out.toString().lines()).contains("  policy default -> default/hello-world").anyMatch(line ->
                line.matches("default/hello-world +us +local-healthy local,exports +drained remote,withdrawn .*"));
        assertThat(kafka("policy", "get")).isZero();
        assertThat(out.toString()).isEmpty();
        assertThat(affinity("us")).isEqualTo("local");
    }

    @Test
    void aBadRequestIsAUsageErrorNamingTheField(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThat(api("what-if", "--down", "ap")).isEqualTo(2);
        assertThat(err.toString()).contains("changes[0].region: 'ap' is not a known region [eu, us]");

        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "scope: default/*\nminReadyRatio: 2\n");
        assertThat(api("what-if", "-f", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("default/*: rejected by the schemas: minReadyRatio:");
        assertThat(api("what-if")).isEqualTo(2);
        assertThat(err.toString()).contains("name a change");
    }

    private int api(String... args) {
        return run(List.of("--url", sandbox.controlPlaneUrl()), args);
    }

    private int both(String... args) {
        return run(List.of("--url", sandbox.controlPlaneUrl(), "--kafka-bootstrap", kafka.bootstrapServers(),
                "--topic-prefix", topics.prefix()), args);
    }

    private int kafka(String... args) {
        return run(List.of("--kafka-bootstrap", kafka.bootstrapServers(), "--topic-prefix", topics.prefix()), args);
    }

    private int run(List<String> options, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine commandLine = MeshpilotCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(options);
        return commandLine.execute(all.toArray(String[]::new));
    }

    private String affinity(String region) {
        var service = sandbox.region(region).client().services().inNamespace("default").withName("hello-world").get();
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get("service.cilium.io/affinity");
    }
}
