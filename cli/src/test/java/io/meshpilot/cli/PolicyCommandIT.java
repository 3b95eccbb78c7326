package io.meshpilot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 5, point 3 and issue 20, point 2: {@code meshpilot policy apply|get|delete|status} against a sandbox, their
 * exit codes (0 accepted, 3 rejected, 4 no verdict in time) and their {@code -o json|yaml}; issue 22: {@code meshpilot
 * practice start|status|abort} on the first test's sandbox.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PolicyCommandIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private Sandbox sandbox;
    private EmbeddedKafkaBroker kafka;
    private Topics topics;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void start(EmbeddedKafkaBroker broker, Topics prefix, @TempDir Path stateDir) {
        kafka = broker;
        topics = prefix;
        sandbox = Sandbox.start(new SandboxSettings(List.of("us", "eu"), Optional.of(kafka.bootstrapServers()),
                topics, stateDir, 2, 0, KubernetesBackend.REAL), Clock.systemUTC());
        await().atMost(WAIT).until(() -> "local".equals(affinity("us")));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void appliesPoliciesAndExitsZeroWhenAllAreAccepted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policies.yaml");
        Files.writeString(file, """
                scope: "*"
                failbackDelaySeconds: 1
                ---
                scope: default/hello-world
                drain: [us]
                """);

        long start = System.nanoTime();
        assertThat(run("policy", "apply", "-f", file.toString())).as(err.toString()).isZero();
        await().atMost(WAIT).until(() -> "remote".equals(affinity("us")));
        System.out.printf("drain applied to us's annotations %.0f ms after policy apply started%n",
                (System.nanoTime() - start) / 1e6);

        assertThat(out.toString()).contains("*: accepted (record 0@0)", "default/hello-world: accepted (record 0@1)");
        assertThat(run("policy", "get")).isZero();
        assertThat(out.toString().lines()).hasSize(2);
        assertThat(run("policy", "get", "default/hello-world")).isZero();
        assertThat(out.toString()).contains("\"drain\":[\"us\"]");
        assertThat(run("policy", "status", "default/hello-world")).isZero();

        assertThat(run("policy", "delete", "default/hello-world")).isZero();
        await().atMost(WAIT).until(() -> "local".equals(affinity("us")));
        assertThat(run("policy", "get", "default/hello-world")).isEqualTo(1);
        assertThat(err.toString()).contains("no policy for scope default/hello-world");

        practiceRunsStartReportAndAbort();
    }

    /**
     * Issue 22, points 2 and 6: {@code meshpilot practice start|status|abort} on the same sandbox, us home and the
     * policy's failback delay 1 s: a 2 s run reported with the drain and failback measured, an invalid one rejected
     * before it is written, an aborted one reported as such.
     */
    private void practiceRunsStartReportAndAbort() {
        assertThat(run("practice", "start", "drill", "--region", "us", "--duration", "2s",
                "--services", "default/*")).as(out + " " + err).isZero();
        assertThat(out.toString()).contains("drill: running (record 0@0)", "us drained from ");

        assertThat(run("practice", "status", "drill", "--wait", "30s")).as(out + " " + err).isZero();
        assertThat(out.toString()).contains("drill: completed", "slowest drain ", "default/hello-world  drain: ",
                "us ", "failback: ");
        assertThat(run("practice", "status", "drill", "-o", "json")).isZero();
        assertThat(out.toString()).contains("\"kind\" : \"PracticeRunStatus\"", "\"drainSeconds\"");
        await().atMost(WAIT).until(() -> "local".equals(affinity("us")));

        assertThat(run("practice", "start", "Bad", "--region", "us", "--duration", "2s",
                "--allowed-hours", "8-18")).isEqualTo(3);
        assertThat(out.toString()).contains("Bad: rejected, nothing written", "  key: ", "  allowedHours: ");
        assertThat(run("practice", "start", "mars", "--region", "mars", "--duration", "2s")).isEqualTo(3);
        assertThat(out.toString()).contains("mars: rejected (record 0@1)", "region: 'mars' is not a known region");

        assertThat(run("practice", "start", "long", "--region", "us", "--duration", "10m")).isZero();
        assertThat(run("practice", "abort", "long")).isZero();
        assertThat(run("practice", "status", "long", "--wait", "30s")).isEqualTo(3);
        assertThat(out.toString()).contains("long: aborted", "operator-abort: the run's record was deleted");
        assertThat(run("practice", "status")).isZero();
        assertThat(out.toString()).contains("drill: completed", "long: aborted", "mars: rejected");
    }

    @Test
    void rejectsAnInvalidPolicyWithoutWritingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"scope\": \"default/*\", \"minReadyRatio\": 2, \"colour\": \"red\"}");

        assertThat(run("policy", "apply", "-f", file.toString())).isEqualTo(3);

        assertThat(out.toString()).contains("default/*: rejected by the schemas, nothing written",
                "  colour: is not a known field", "  minReadyRatio: must have a maximum value of 1");
        assertThat(run("policy", "get")).isZero();
        assertThat(out.toString()).isEmpty();
        assertThat(run("policy", "status", "default/*")).isEqualTo(1);
        assertThat(err.toString()).contains("no verdict for scope default/*");
        assertThat(affinity("us")).isEqualTo("local");
    }

    @Test
    void exitsThreeWhenTheControlPlaneRejectsAPolicy(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("drain-all.yaml");
        Files.writeString(file, "scope: default/hello-world\ndrain: [us, eu]\n");

        assertThat(run("policy", "apply", "-f", file.toString())).as(err.toString()).isEqualTo(3);

        assertThat(out.toString()).contains("default/hello-world: rejected (record 0@0)",
                "  drain: would drain every region [eu, us]");
        assertThat(run("policy", "status", "default/hello-world")).isEqualTo(3);
        assertThat(run("policy", "status", "default/hello-world", "-o", "json")).isEqualTo(3);
        assertThat(out.toString()).contains("\"kind\" : \"PolicyStatus\"", "\"accepted\" : false");
        assertThat(run("policy", "get", "-o", "yaml")).isZero();
        assertThat(out.toString()).contains("items:", "- scope: default/hello-world", "  policy:", "    drain:");
        assertThat(run("policy", "get", "default/hello-world", "-o", "json")).isZero();
        assertThat(out.toString()).startsWith("{").contains("\"scope\" : \"default/hello-world\"");
    }

    @Test
    void exitsFourWhenNoControlPlaneAnswers(@TempDir Path dir) throws Exception {
        String idle = "idle." + topics.prefix();
        assertThat(runWith(idle, "topics", "create", "--regions", "us", "--partitions", "1",
                "--replication-factor", "1")).as(err.toString()).isZero();
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "scope: \"*\"\nmode: auto\n");

        assertThat(runWith(idle, "policy", "apply", "-f", file.toString(), "--timeout", "1s500ms")).isEqualTo(4);

        assertThat(err.toString()).contains("policy apply: no verdict within 1500 ms for 1 of 1 policies written to "
                + idle + ".policies; is a control plane running?");
    }

    @Test
    void refusesAFileWithoutScopesBeforeWritingAnything(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("noscope.yaml");
        Files.writeString(file, "mode: local\n");

        assertThat(run("policy", "apply", "-f", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("scope is required");
        assertThat(run("policy", "get")).isZero();
        assertThat(out.toString()).isEmpty();
    }

    private int run(String... args) {
        return runWith(topics.prefix(), args);
    }

    private int runWith(String prefix, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine commandLine = MeshpilotCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--kafka-bootstrap", kafka.bootstrapServers(), "--topic-prefix", prefix));
        return commandLine.execute(all.toArray(String[]::new));
    }

    private String affinity(String region) {
        var service = sandbox.region(region).client().services().inNamespace("default").withName("hello-world").get();
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get("service.cilium.io/affinity");
    }
}
