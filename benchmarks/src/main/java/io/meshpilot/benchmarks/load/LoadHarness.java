package io.meshpilot.benchmarks.load;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The load harness: for each size, the event-driven system (the embedded broker, the real control plane, simulated
 * agents for every region) and the polling baseline run the same scenario; it prints the figures and writes CSV and
 * PNG reports. {@code java -cp benchmarks/target/benchmarks.jar io.meshpilot.benchmarks.load.LoadHarness
 * [--services 1000,10000] [--regions us,eu,ap | --regions 255] [--rate 100] [--latency-seconds 20] [--write-rate 1000]
 * [--baseline-seconds 5] [--out DIR] [--no-baseline]}
 */
public final class LoadHarness {

    private LoadHarness() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        HarnessSettings settings;
        try {
            settings = HarnessSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("load harness: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<Result> results = run(settings);
        marginalHeap(results).ifPresent(System.out::println);
        System.out.println("reports in " + settings.output().toAbsolutePath());
    }

    /** Runs every size on both systems and writes the reports. */
    public static List<Result> run(HarnessSettings settings) {
        System.setProperty("java.awt.headless", "true");
        List<Result> results = new ArrayList<>();
        EmbeddedKafkaBroker broker = settings.kafkaBootstrap().isPresent() ? null
                : EmbeddedKafkaBroker.start(Map.of());
        try {
            String bootstrap = broker == null ? settings.kafkaBootstrap().orElseThrow() : broker.bootstrapServers();
            for (int size : settings.services()) {
                results.add(LoadRun.eventDriven(settings, bootstrap, size));
                if (settings.baseline()) {
                    results.add(LoadRun.baseline(settings, size));
                }
                // each size's figures as soon as they are known: a later, larger size may not finish
                results.subList(results.size() - (settings.baseline() ? 2 : 1), results.size())
                        .forEach(result -> System.out.println(line(result)));
                new Report(settings.output()).write(results);
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        return results;
    }

    /** The heap one more Service-region costs, between the smallest and the largest size run event-driven. */
    static Optional<String> marginalHeap(List<Result> results) {
        return Result.heapExtremes(results).map(pair -> String.format(Locale.ROOT, "control-plane heap per "
                + "additional Service-region (%d to %d Services per region): %.0f B", pair.get(0).services(),
                pair.get(1).services(), Result.marginalHeapBytes(pair.get(0), pair.get(1))));
    }

    static String line(Result result) {
        return String.format(Locale.ROOT, "%-32s %6d Services x %d regions: start %.1f s (every region's health read "
                + "%s), %s health records/s read, "
                + "event-to-applied p50 %.1f ms p99 %.1f ms (%d changes, %d unresolved; to commit %s), outage: all "
                + "directives "
                + "received %.2f s, applied %.2f s, heap %s per Service-region", result.system(), result.services(),
                result.regions(), result.initialConvergence(), Double.isNaN(result.resyncSeconds()) ? "-"
                        : String.format(Locale.ROOT, "in %.1f s", result.resyncSeconds()),
                Double.isNaN(result.recordsPerSecond()) ? "-"
                        : String.format(Locale.ROOT, "%.0f", result.recordsPerSecond()),
                result.latencyP50Millis(), result.latencyP99Millis(), result.latencySamples(),
                result.latencyUnresolved(), Double.isNaN(result.decidingMeanMillis()) ? "-"
                        : String.format(Locale.ROOT, "mean %.0f ms", result.decidingMeanMillis()),
                result.outagePublished(), result.outageApplied(),
                Double.isNaN(result.heapBytesPerServiceRegion()) ? "-"
                        : String.format(Locale.ROOT, "%.0f B", result.heapBytesPerServiceRegion()));
    }
}
