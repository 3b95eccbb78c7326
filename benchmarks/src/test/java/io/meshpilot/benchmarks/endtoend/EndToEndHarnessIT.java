package io.meshpilot.benchmarks.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.testing.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the load harness's end-to-end mode (50 Services in three real regions, real agents, a few seconds of
 * changes): it completes, its figures are sane, and it writes its reports. Nothing here is timed against a target;
 * docs/benchmarks.md, "End to end, real agents", has the real runs.
 */
@ExtendWith(KafkaBrokerExtension.class)
class EndToEndHarnessIT {

    @Test
    // three real regions start first (a first run on a machine also builds them); on a busy 2-core machine the run
    // took 1.5 minutes once and more than 3 (the default) another time
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aShortRunOnRealAgentsCompletesWithSaneFiguresAndReports(EmbeddedKafkaBroker kafka, @TempDir Path output) {
        EndToEndSettings settings = EndToEndSettings.defaults().withServices(List.of(50)).withRuns(1)
                .withChanges(10, Duration.ofSeconds(3)).withCeiling(Duration.ofSeconds(1)).withOutput(output)
                .withKafka(kafka.bootstrapServers());
        List<EndToEndResult> seen = new ArrayList<>();

        List<EndToEndResult> results = EndToEndHarness.run(settings, seen::add);

        assertThat(results).hasSize(1).isEqualTo(seen);
        EndToEndResult result = results.get(0);
        System.out.println(EndToEndHarness.line(result));
        assertThat(result.services()).isEqualTo(50);
        assertThat(result.regions()).isEqualTo(3);
        assertThat(result.latencies()).isNotEmpty();
        assertThat(result.latencyUnresolved()).isZero();
        assertThat(result.latencyP50Millis()).isPositive().isLessThanOrEqualTo(result.latencyP99Millis());
        assertThat(result.latencyP99Millis()).isLessThanOrEqualTo(result.latencyMaxMillis());
        assertThat(result.floor()).isNotEmpty();
        assertThat(result.floorP99Millis()).isPositive();
        assertThat(result.outageAppliedTimes()).hasSize(50);
        assertThat(result.outageApplied()).isPositive();
        assertThat(result.ceilingPatchesPerSecond()).isPositive();
        assertThat(result.agentsStart()).isPositive();
        assertThat(result.convergence()).isPositive();
        assertThat(result.agentHeapBytesPerService()).isFinite();
        assertThat(result.appliedAgentHeapBytesPerService()).isFinite();
        assertThat(result.loadBefore()).isNotBlank();
        for (String file : List.of("summary.csv", "e2e-latency-50.png", "e2e-outage-50.png", "latency-50-run1.csv",
                "floor-50-run1.csv", "outage-applied-50-run1.csv", "agent-heap-50x3-run1.csv")) {
            assertThat(output.resolve(file)).isNotEmptyFile();
        }
    }
}
