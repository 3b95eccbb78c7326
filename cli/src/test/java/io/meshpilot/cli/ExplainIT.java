package io.meshpilot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.sandbox.Sandbox;
import io.meshpilot.sandbox.SandboxSettings;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meshpilot explain} against a running sandbox's control plane. */
@ExtendWith(KafkaBrokerExtension.class)
class ExplainIT {

    @Test
    void explainsTheDecisionRegionByRegion(EmbeddedKafkaBroker kafka, Topics topics, @TempDir Path stateDir) {
        try (Sandbox sandbox = Sandbox.start(new SandboxSettings(List.of("us", "eu"),
                Optional.of(kafka.bootstrapServers()), topics, stateDir, 2, 0), Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(explain(sandbox))
                    .contains("default/hello-world: policy default (mode auto")
                    .contains("  eu       healthy   local-healthy")
                    .contains("  us       healthy   local-healthy")
                    .contains("global=true shared=true affinity=local")
                    .contains("agent: Applied directive 1")
                    .contains("clients reach: us (2 backends)"));
        }
    }

    private static String explain(Sandbox sandbox) {
        StringWriter out = new StringWriter();
        CommandLine commandLine = Meshpilot.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(new StringWriter(), true));
        commandLine.execute("explain", "default/hello-world", "--url", sandbox.controlPlaneUrl());
        return out.toString();
    }
}
