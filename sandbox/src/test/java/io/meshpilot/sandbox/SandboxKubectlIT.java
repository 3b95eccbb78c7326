package io.meshpilot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.DebianPackages;
import io.meshpilot.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, point 3: a sandbox region driven with the real kubectl through its kubeconfig: get, annotate, scale, and
 * meshpilot reacting to the scale. On the embedded backend (fabric8's mock server) on purpose: it is what
 * `--kubernetes embedded` gives machines without Go, and docs/sandbox.md promises these kubectl commands there; the
 * real regions' kubectl session is {@link KubectlOnRealKubernetesIT}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SandboxKubectlIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void kubectlGetsAnnotatesAndScalesASandboxRegion(EmbeddedKafkaBroker kafka, Topics topics, @TempDir Path stateDir)
            throws Exception {
        Path kubectl = DebianPackages.require("kubectl", "kubectl");
        try (Sandbox sandbox = Sandbox.start(new SandboxSettings(List.of("us", "eu"),
                Optional.of(kafka.bootstrapServers()), topics, stateDir, 2, 0, KubernetesBackend.EMBEDDED),
                Clock.systemUTC())) {
            Path us = stateDir.resolve("us.kubeconfig");
            assertThat(Files.readString(stateDir.resolve("kafka.properties")))
                    .isEqualTo("bootstrap.servers=" + kafka.bootstrapServers() + "\n");
            assertThat(stateDir.resolve("ready")).exists();

            assertThat(run(kubectl, us, "get", "services")).contains("hello-world");
            assertThat(run(kubectl, us, "get", "deployments")).contains("hello-world", "client");
            assertThat(run(kubectl, us, "get", "endpointslices")).contains("hello-world-hello-world");
            await().atMost(WAIT).untilAsserted(() -> assertThat(run(kubectl, us, "get", "service", "hello-world",
                    "-o", "jsonpath={.metadata.annotations.service\\.cilium\\.io/affinity}")).isEqualTo("local"));

            assertThat(run(kubectl, us, "annotate", "service", "hello-world", "team=edge"))
                    .contains("service/hello-world annotated");
            assertThat(run(kubectl, us, "get", "service", "hello-world", "-o",
                    "jsonpath={.metadata.annotations.team}")).isEqualTo("edge");

            assertThat(run(kubectl, us, "scale", "deployment", "hello-world", "--replicas", "0"))
                    .contains("deployment.apps/hello-world scaled");
            await().atMost(WAIT).untilAsserted(() -> assertThat(run(kubectl, us, "get", "service", "hello-world",
                    "-o", "jsonpath={.metadata.annotations.service\\.cilium\\.io/affinity}")).isEqualTo("remote"));
            assertThat(run(kubectl, us, "get", "events", "-o", "jsonpath={.items[*].reason}"))
                    .contains("AffinityChanged");
        }
    }

    private static String run(Path kubectl, Path kubeconfig, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", arguments) + ": " + output).isZero();
        return output.trim();
    }
}
