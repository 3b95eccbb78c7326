package io.meshpilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.internals.Sender;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.internals.LogContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Issue 20, points 3 and 4: what the command line's logging writes. */
class LoggingTest {

    private final PrintStream stderr = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    @AfterEach
    void restore() {
        System.setErr(stderr);
        Logging.configure("info", "text");
    }

    @Test
    void writesOneFlatJsonObjectPerLineForEveryLoggerWithItsStackTrace() throws IOException {
        capture("info", "json");

        LoggerFactory.getLogger("io.meshpilot.agent.RegionAgent").atInfo().addKeyValue("region", "us")
                .addKeyValue("services", 3).log("watching {} Services in {}", 3, "us");
        LoggerFactory.getLogger("io.fabric8.kubernetes.client.informers.impl.cache.Reflector")
                .warn("Watch closing with {}", "an error", new IllegalStateException("API server gone",
                        new java.net.ConnectException("Connection refused")));

        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(2);
        JsonNode info = lines.get(0);
        assertThat(info.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(info.get("level").asText()).isEqualTo("info");
        assertThat(info.get("logger").asText()).isEqualTo("io.meshpilot.agent.RegionAgent");
        assertThat(info.get("message").asText()).isEqualTo("watching 3 Services in us");
        assertThat(info.get("region").asText()).isEqualTo("us");
        assertThat(info.get("services").asInt()).isEqualTo(3);
        JsonNode warning = lines.get(1);
        assertThat(warning.get("level").asText()).isEqualTo("warn");
        assertThat(warning.get("message").asText()).isEqualTo("Watch closing with an error");
        assertThat(warning.get("error").asText()).isEqualTo("java.lang.IllegalStateException: API server gone");
        assertThat(warning.get("stack").asText()).contains("\tat io.meshpilot.cli.LoggingTest",
                "Caused by: java.net.ConnectException: Connection refused");
        for (JsonNode line : lines) {
            line.fields().forEachRemaining(field -> assertThat(field.getValue().isContainerNode())
                    .as(field.getKey()).isFalse());
        }
    }

    @Test
    void aFailingCommandEndsWithAJsonLineToo(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        StringWriter err = new StringWriter();
        var commandLine = Meshpilot.commandLine();
        commandLine.setErr(new PrintWriter(err, true));

        int exit = commandLine.execute("--log-format", "json", "agent", "--region", "us", "--kafka-bootstrap",
                "127.0.0.1:1", "--kubeconfig", dir.resolve("missing").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).isEmpty();
        assertThat(lines()).singleElement().satisfies(line -> {
            assertThat(line.get("level").asText()).isEqualTo("error");
            assertThat(line.get("message").asText()).startsWith("agent: --kubeconfig: cannot read ");
            assertThat(line.get("command").asText()).isEqualTo("agent");
        });
    }

    @Test
    void takesEveryLevelTheChartsAllow() throws IOException {
        for (String chart : List.of("meshpilot-agent", "meshpilot-control-plane")) {
            JsonNode schema = OutputOption.JSON.readTree(Files.readString(
                    Path.of("..", "helm", chart, "values.schema.json")));
            List<String> allowed = new ArrayList<>();
            schema.at("/properties/log/properties/level/enum").forEach(level -> allowed.add(level.asText()));

            assertThat(allowed).as(chart).containsExactlyInAnyOrderElementsOf(Logging.LEVELS);
            allowed.forEach(Logging::level);
            List<String> formats = new ArrayList<>();
            schema.at("/properties/log/properties/format/enum").forEach(format -> formats.add(format.asText()));
            formats.forEach(format -> Logging.configure("info", format));
        }
    }

    @Test
    void dropsTheProducersWarningsAboutTransactionsItRetriesItself() {
        capture("warn", "text");
        // as Kafka's Sender logs it: through its LogContext, with the producer's prefix
        var sender = new LogContext("[Producer clientId=cp-1, transactionalId=cp-1] ").logger(Sender.class);

        sender.warn("Got error produce response with correlation id {} on topic-partition {}, retrying ({} attempts "
                + "left). Error: {}", 42, "meshpilot.us.directives-0", 2147483646, Errors.CONCURRENT_TRANSACTIONS);
        sender.warn("Got error produce response with correlation id {} on topic-partition {}, retrying ({} attempts "
                + "left). Error: {}", 43, "meshpilot.us.directives-0", 2147483646, Errors.NOT_LEADER_OR_FOLLOWER);

        String written = captured.toString(StandardCharsets.UTF_8);
        assertThat(written).doesNotContain("CONCURRENT_TRANSACTIONS").contains("NOT_LEADER_OR_FOLLOWER");
    }

    @Test
    void dropsTheInformersErrorAboutAFirstListingTheAgentReportsItself() {
        capture("warn", "text");
        // as fabric8's Reflector logs it when an informer's first listing fails, and when a later one is retried
        var reflector = LoggerFactory.getLogger("io.fabric8.kubernetes.client.informers.impl.cache.Reflector");
        var refused = new java.net.ConnectException("Connection refused");

        reflector.error("{} failed for {}, will stop", "listSyncAndWatch", "v1/services", refused);
        reflector.warn("{} failed for {}, will retry", "listSyncAndWatch", "v1/endpointslices", refused);

        String written = captured.toString(StandardCharsets.UTF_8);
        assertThat(written).doesNotContain("will stop").contains("will retry");
    }

    private void capture(String level, String format) {
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Logging.configure(level, format);
    }

    private List<JsonNode> lines() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(OutputOption.JSON.readTree(line));
            }
        }
        return lines;
    }
}
