package io.meshpilot.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.testing.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the load harness (200 Services in three regions, a few seconds of changes): it completes, its figures
 * are sane, and it writes its reports. Nothing here is timed against a target; docs/benchmarks.md has the real runs.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LoadHarnessIT {

    @Test
    void aShortRunCompletesWithSaneFiguresAndReports(EmbeddedKafkaBroker kafka, @TempDir Path output) {
        HarnessSettings settings = HarnessSettings.defaults().withServices(List.of(200))
                .with(50, Duration.ofSeconds(3), 1_000, Duration.ofSeconds(1)).withOutput(output)
                .withKafka(kafka.bootstrapServers());

        List<Result> results = LoadHarness.run(settings);

        assertThat(results).extracting(Result::system).containsExactly("event-driven", "baseline (polls every 1 s)");
        for (Result result : results) {
            assertThat(result.services()).isEqualTo(200);
            assertThat(result.latencySamples()).as(result.system()).isPositive();
            assertThat(result.latencyUnresolved()).as(result.system()).isZero();
            assertThat(result.latencyP50Millis()).isPositive().isLessThanOrEqualTo(result.latencyP99Millis());
            assertThat(result.latencyP99Millis()).isLessThanOrEqualTo(result.latencyMaxMillis());
            assertThat(result.outagePublished()).isPositive().isLessThanOrEqualTo(result.outageApplied());
            assertThat(result.outageAppliedTimes()).hasSize(200);
            System.out.println(LoadHarness.line(result));
        }
        Result eventDriven = results.get(0);
        assertThat(eventDriven.recordsPerSecond()).isPositive();
        assertThat(eventDriven.heapBytesPerServiceRegion()).isFinite();
        assertThat(output.resolve("summary.csv")).isNotEmptyFile();
        assertThat(output.resolve("latency-200.png")).isNotEmptyFile();
        assertThat(output.resolve("outage-200.png")).isNotEmptyFile();
        assertThat(output.resolve("latency-event-driven-200.csv")).isNotEmptyFile();
        assertThat(Files.exists(output.resolve("outage-applied-baseline-200.csv"))).isTrue();
    }
}
