package io.meshpilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MeshpilotTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void listsTheSubcommandsOfTheSpec() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("control-plane", "agent", "sandbox", "demo", "policy", "explain",
                "topics");
    }

    @Test
    void refusesAPolicyScopeThatIsNotOne() {
        assertThat(run("policy", "status", "a/b/c", "--kafka-bootstrap", "127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString()).contains("scope 'a/b/c' must be <namespace>/<service>, <namespace>/* or *");
    }

    @Test
    void saysWhenItCannotReachTheControlPlane() {
        assertThat(run("explain", "default/hello-world", "--url", "http://127.0.0.1:1")).isEqualTo(1);
        assertThat(err.toString()).startsWith("explain: cannot reach the control plane at http://127.0.0.1:1");
        assertThat(run("explain", "not-a-key")).isEqualTo(2);
    }

    @Test
    void refusesAKubernetesBackendThatIsNeitherRealNorEmbedded() {
        assertThat(run("demo", "--kubernetes", "kind")).isEqualTo(2);
        assertThat(err.toString()).startsWith("demo: --kubernetes must be real or embedded, got 'kind'")
                .doesNotContain("\tat ");
    }

    @Test
    void namesTheSettingThatIsWrongWithoutAStackTrace() {
        assertThat(run("agent", "--kafka-bootstrap", "127.0.0.1:1", "--region", "US")).isEqualTo(2);
        assertThat(err.toString()).startsWith("agent: --region 'US' must be a DNS-1123 label")
                .doesNotContain("Exception").doesNotContain("\tat ");
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
    void readsDurationsAsOperatorsWriteThem() {
        DurationConverter converter = new DurationConverter();

        assertThat(converter.convert("100ms")).hasMillis(100);
        assertThat(converter.convert("5s")).hasSeconds(5);
        assertThat(converter.convert("2m")).hasMinutes(2);
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
