package io.meshpilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MeshpilotTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void listsTheSubcommandsOfTheSpec() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("control-plane", "agent", "policy", "explain", "status", "topics",
                "version", "completion").doesNotContain("  sandbox ", "  demo ");
    }

    @Test
    void refusesAPolicyScopeThatIsNotOne() {
        assertThat(run("policy", "status", "a/b/c", "--kafka-bootstrap", "127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString()).contains("scope 'a/b/c' must be <namespace>/<service>, <namespace>/* or *");
    }

    @Test
    void saysInOneLineWhatFailedAndWhereWhenTheControlPlaneIsUnreachable() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closed;

        assertThat(run("explain", "default/hello-world", "--url", url)).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("explain: cannot reach the control plane at " + url
                + "/api/v1/services/default/hello-world: connection refused" + System.lineSeparator());
        err.getBuffer().setLength(0);
        assertThat(run("status", "--url", url)).isEqualTo(1);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("status: cannot reach the control plane at " + url + "/api/v1/services?limit=500");
        err.getBuffer().setLength(0);
        assertThat(run("version", "--url", url)).isEqualTo(1);
        assertThat(out.toString()).contains("Client Version: ");
        assertThat(err.toString()).isEqualTo("version: cannot reach the control plane at " + url
                + "/api/v1/version: connection refused" + System.lineSeparator());
        assertThat(run("explain", "not-a-key")).isEqualTo(2);
        assertThat(run("explain", "default/x", "--url", "ftp://x")).isEqualTo(2);
    }

    @Test
    void namesTheKafkaClientFileItCannotRead() {
        assertThat(run("policy", "get", "--kafka-bootstrap", "127.0.0.1:1", "--kafka-config", "no-such.properties"))
                .isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString().startsWith("policy get: ").contains("no-such.properties");
    }

    @Test
    void namesTheSettingThatIsWrongWithoutAStackTrace() {
        assertThat(run("agent", "--kafka-bootstrap", "127.0.0.1:1", "--region", "US")).isEqualTo(2);
        assertThat(err.toString()).startsWith("agent: --region 'US' must be a DNS-1123 label")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void namesTheApplyParallelismWhenItIsOutOfRange() {
        assertThat(run("agent", "--kafka-bootstrap", "127.0.0.1:1", "--region", "us", "--apply-parallelism", "0"))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("agent: --apply-parallelism must be within 1..256, got 0")
                .doesNotContain("\tat ");
    }

    @Test
    void requiresARegionForTheAgent() {
        assertThat(run("agent", "--kafka-bootstrap", "127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString()).contains("--region is required (env MESHPILOT_REGION)");
    }

    @Test
    void requiresKafkaForTheControlPlane() {
        assertThat(run("control-plane")).isEqualTo(2);
        assertThat(err.toString()).contains("no Kafka bootstrap servers: set --kafka-bootstrap");
    }

    @Test
    void refusesAnUnknownLogFormat() {
        assertThat(run("--log-format", "xml", "topics")).isEqualTo(2);
        assertThat(err.toString()).contains("--log-format must be text or json, got 'xml'");
    }

    @Test
    void readsDurationsAsGoWritesThem() {
        DurationConverter converter = new DurationConverter();

        assertThat(converter.convert("100ms")).hasMillis(100);
        assertThat(converter.convert("5s")).hasSeconds(5);
        assertThat(converter.convert("2m")).hasMinutes(2);
        assertThat(converter.convert("1m30s")).hasSeconds(90);
        assertThat(converter.convert("2h45m")).hasMinutes(165);
        assertThat(converter.convert("1.5h")).hasMinutes(90);
        assertThat(converter.convert("1s500ms")).hasMillis(1500);
        assertThat(converter.convert("250us")).hasNanos(250_000);
        assertThat(converter.convert("0")).isZero();
        for (String wrong : List.of("5", "1x", "m", "1m 30s", "-5s", "")) {
            assertThatThrownBy(() -> converter.convert(wrong)).as(wrong)
                    .hasMessageContaining("is not a duration such as 300ms, 5s, 1m30s or 2h");
        }
        assertThat(run("agent", "--kafka-bootstrap", "127.0.0.1:1", "--heartbeat-interval", "1m30", "--region",
                "us")).isEqualTo(2);
        assertThat(err.toString()).contains("'1m30' is not a duration");
    }

    @Test
    void parsesSelectors() {
        assertThat(AgentCommand.labels("meshpilot.io/managed=true, team=edge"))
                .containsEntry("meshpilot.io/managed", "true").containsEntry("team", "edge");
    }

    private int run(String... args) {
        CommandLine commandLine = Meshpilot.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
