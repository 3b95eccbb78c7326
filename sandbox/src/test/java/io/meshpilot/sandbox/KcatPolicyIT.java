package io.meshpilot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.DebianPackages;
import io.meshpilot.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, point 4: an operator drains a region with the kcat command line of docs/policies.md (Debian's kcat,
 * installed by the test set-up if missing), reads the verdict with kcat, and the control plane acts on it.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KcatPolicyIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void drainsARegionWithAKcatOneLinerAndReadsTheVerdictBack(EmbeddedKafkaBroker kafka, Topics topics,
            @TempDir Path stateDir) throws Exception {
        Path kcat = DebianPackages.require("kcat", "kcat");
        try (Sandbox sandbox = Sandbox.start(new SandboxSettings(List.of("us", "eu"),
                Optional.of(kafka.bootstrapServers()), topics, stateDir, 2, 0, KubernetesBackend.REAL),
                Clock.systemUTC())) {
            await().atMost(WAIT).until(() -> "local".equals(affinity(sandbox, "us")));
            run(kcat, "*|{\"apiVersion\":\"meshpilot.io/v1\",\"kind\":\"TrafficPolicy\",\"failbackDelaySeconds\":1}\n",
                    "-P", "-b", kafka.bootstrapServers(), "-t", topics.policies(), "-K", "|");

            String written = run(kcat, "default/hello-world|{\"apiVersion\":\"meshpilot.io/v1\","
                    + "\"kind\":\"TrafficPolicy\",\"drain\":[\"us\"]}\n",
                    "-P", "-b", kafka.bootstrapServers(), "-t", topics.policies(), "-K", "|");
            assertThat(written).isEmpty();

            await().atMost(WAIT).until(() -> "remote".equals(affinity(sandbox, "us")));
            assertThat(affinity(sandbox, "eu")).isEqualTo("local");
            await().atMost(WAIT).untilAsserted(() -> assertThat(run(kcat, "", "-C", "-b", kafka.bootstrapServers(),
                    "-t", topics.policyStatus(), "-K", "\t", "-e", "-q"))
                    .contains("\ndefault/hello-world\t{\"apiVersion\":\"meshpilot.io/v1\",\"kind\":\"PolicyStatus\","
                            + "\"scope\":\"default/hello-world\",\"accepted\":true"));

            run(kcat, "default/hello-world|\n", "-P", "-b", kafka.bootstrapServers(), "-t", topics.policies(),
                    "-K", "|", "-Z");
            await().atMost(WAIT).until(() -> "local".equals(affinity(sandbox, "us")));
        }
    }

    private static String affinity(Sandbox sandbox, String region) {
        var service = sandbox.region(region).client().services().inNamespace("default").withName("hello-world").get();
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get("service.cilium.io/affinity");
    }

    private static String run(Path kcat, String input, String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(kcat.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("kcat finished").isTrue();
        assertThat(process.exitValue()).as("kcat exit code; output: " + output).isZero();
        return output;
    }
}
