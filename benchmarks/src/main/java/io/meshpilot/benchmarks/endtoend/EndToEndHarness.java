package io.meshpilot.benchmarks.endtoend;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.embedded.kubernetes.real.RealRegions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load harness's end-to-end mode: real region agents against real API servers (kube-apiserver, etcd, the
 * controllers and KWOK per region, built by {@code build-kube.sh}), the real control plane and the embedded broker.
 * For each size it runs {@code --runs} times and writes CSV and PNG reports. {@code java -cp
 * benchmarks/target/benchmarks.jar io.meshpilot.benchmarks.endtoend.EndToEndHarness [--services 1000,10000] [--runs 3]
 * [--rate 20] [--latency-seconds 20] [--write-rate 100000] [--apply-parallelism 8] [--publish-window-ms 100]
 * [--ceiling-seconds 5] [--out DIR]}
 */
public final class EndToEndHarness {

    private EndToEndHarness() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        EndToEndSettings settings;
        try {
            settings = EndToEndSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("end-to-end harness: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<EndToEndResult> results = run(settings, result -> System.out.println(line(result)));
        System.out.println("reports in " + settings.output().toAbsolutePath());
        System.exit(0);
    }

    /** Runs every size {@code runs} times and writes the reports; each result is also handed over as it comes. */
    public static List<EndToEndResult> run(EndToEndSettings settings,
            java.util.function.Consumer<EndToEndResult> each) {
        System.setProperty("java.awt.headless", "true");
        Map<String, Integer> regions = new LinkedHashMap<>();
        for (int i = 0; i < settings.regions().size(); i++) {
            regions.put(settings.regions().get(i), i + 1);
        }
        RealRegions.startAll(regions);
        List<EndToEndResult> results = new ArrayList<>();
        EmbeddedKafkaBroker broker = settings.kafkaBootstrap().isPresent() ? null
                : EmbeddedKafkaBroker.start(Map.of());
        try {
            String bootstrap = broker == null ? settings.kafkaBootstrap().orElseThrow() : broker.bootstrapServers();
            for (int size : settings.services()) {
                for (int run = 1; run <= settings.runs(); run++) {
                    EndToEndResult result = EndToEndRun.run(settings, bootstrap, size, run);
                    results.add(result);
                    each.accept(result);
                    new EndToEndReport(settings.output()).write(results);
                }
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        return results;
    }

    static String line(EndToEndResult r) {
        return String.format(Locale.ROOT, "end-to-end %5d Services x %d regions, run %d (load %s -> %s): agents start "
                + "%.1f s, convergence %.1f s; event-to-applied p50 %.1f ms p99 %.1f ms max %.1f ms (%d changes, %d "
                + "unresolved); floor p50 %.1f ms p99 %.1f ms (%d samples), p99/floor %.2f; outage: slices deleted "
                + "%.2f s, all applied %.2f s (%.0f Services/s; %.0f/s once the slices were deleted); API-server "
                + "patch ceiling %.0f/s, outage/ceiling %.2f (%.2f once deleted); agent heap %.0f B per watched "
                + "Service (%.0f B with every directive applied)",
                r.services(), r.regions(), r.run(), r.loadBefore(), r.loadAfter(), r.agentsStart(), r.convergence(),
                r.latencyP50Millis(), r.latencyP99Millis(), r.latencyMaxMillis(), r.latencies().size(),
                r.latencyUnresolved(), r.floorP50Millis(), r.floorP99Millis(), r.floor().size(), r.latencyOverFloor(),
                r.outageSlicesDeleted(), r.outageApplied(), r.outageServicesPerSecond(),
                r.outageServicesPerSecondAfterFault(), r.ceilingPatchesPerSecond(), r.outageOverCeiling(),
                r.outageAfterFaultOverCeiling(), r.agentHeapBytesPerService(), r.appliedAgentHeapBytesPerService());
    }
}
