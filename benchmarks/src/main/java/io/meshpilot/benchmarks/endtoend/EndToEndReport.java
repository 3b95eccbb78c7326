package io.meshpilot.benchmarks.endtoend;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Writes the end-to-end figures: {@code summary.csv} (one row per size, run and figure), per run the latency, floor
 * and outage samples as CSV, and per size two plots: the latency distribution of every run beside its floor, and the
 * outage's convergence of every run.
 */
final class EndToEndReport {

    private final Path directory;

    EndToEndReport(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    void write(List<EndToEndResult> results) {
        StringBuilder summary = new StringBuilder("services_per_region,regions,run,load_before,load_after,figure,"
                + "value,unit\n");
        for (EndToEndResult r : results) {
            row(summary, r, "agents_start", r.agentsStart(), "s");
            row(summary, r, "convergence", r.convergence(), "s");
            row(summary, r, "event_to_applied_p50", r.latencyP50Millis(), "ms");
            row(summary, r, "event_to_applied_p99", r.latencyP99Millis(), "ms");
            row(summary, r, "event_to_applied_max", r.latencyMaxMillis(), "ms");
            row(summary, r, "latency_samples", r.latencies().size(), "changes");
            row(summary, r, "latency_unresolved", r.latencyUnresolved(), "changes");
            row(summary, r, "floor_p50", r.floorP50Millis(), "ms");
            row(summary, r, "floor_p99", r.floorP99Millis(), "ms");
            row(summary, r, "p99_over_floor_p99", r.latencyOverFloor(), "ratio");
            row(summary, r, "outage_slices_deleted", r.outageSlicesDeleted(), "s");
            row(summary, r, "outage_all_applied", r.outageApplied(), "s");
            row(summary, r, "outage_services_per_second", r.outageServicesPerSecond(), "Services/s");
            row(summary, r, "api_server_patch_ceiling", r.ceilingPatchesPerSecond(), "patches/s");
            row(summary, r, "outage_over_ceiling", r.outageOverCeiling(), "ratio");
            row(summary, r, "outage_services_per_second_after_fault", r.outageServicesPerSecondAfterFault(),
                    "Services/s");
            row(summary, r, "outage_after_fault_over_ceiling", r.outageAfterFaultOverCeiling(), "ratio");
            row(summary, r, "agent_heap_per_watched_service", r.agentHeapBytesPerService(), "bytes");
            row(summary, r, "agent_heap_per_watched_service_applied", r.appliedAgentHeapBytesPerService(), "bytes");
            series(r, "latency", "latency_ms", r.latencies(), 1e6);
            series(r, "floor", "floor_ms", r.floor(), 1e6);
            series(r, "outage-applied", "seconds_since_outage", r.outageAppliedTimes(), 1e9);
        }
        writeFile("summary.csv", summary.toString());
        results.stream().map(EndToEndResult::services).distinct().forEach(size -> plots(size, results.stream()
                .filter(r -> r.services() == size).toList()));
    }

    private static void row(StringBuilder csv, EndToEndResult r, String figure, double value, String unit) {
        csv.append(String.format(Locale.ROOT, "%d,%d,%d,\"%s\",\"%s\",%s,%.3f,%s%n", r.services(), r.regions(),
                r.run(), r.loadBefore(), r.loadAfter(), figure, value, unit));
    }

    private void series(EndToEndResult r, String what, String column, List<Long> nanos, double scale) {
        StringBuilder csv = new StringBuilder(column + "\n");
        nanos.forEach(value -> csv.append(String.format(Locale.ROOT, "%.3f%n", value / scale)));
        writeFile(what + "-" + r.services() + "-run" + r.run() + ".csv", csv.toString());
    }

    private void plots(int size, List<EndToEndResult> runs) {
        XYSeriesCollection cdf = new XYSeriesCollection();
        XYSeriesCollection outage = new XYSeriesCollection();
        for (EndToEndResult r : runs) {
            cdf.addSeries(distribution("run " + r.run() + ": event to applied", r.latencies()));
            cdf.addSeries(distribution("run " + r.run() + ": floor", r.floor()));
            XYSeries applied = new XYSeries("run " + r.run() + ": applied");
            applied.add(0, 0);
            List<Long> times = r.outageAppliedTimes();
            for (int i = 0; i < times.size(); i++) {
                applied.add(times.get(i) / 1e9, i + 1);
            }
            outage.addSeries(applied);
        }
        JFreeChart latency = ChartFactory.createXYLineChart("End to end, real agents: event to applied, " + size
                + " Services per region", "milliseconds (log)", "fraction", cdf, PlotOrientation.VERTICAL, true, false,
                false);
        latency.getXYPlot().setDomainAxis(new LogarithmicAxis("milliseconds (log)"));
        save(latency, "e2e-latency-" + size + ".png");
        JFreeChart convergence = ChartFactory.createXYLineChart("End to end, real agents: region outage, " + size
                + " Services", "seconds since the slices were deleted (sent)", "Services failed over",
                outage, PlotOrientation.VERTICAL, true, false, false);
        save(convergence, "e2e-outage-" + size + ".png");
    }

    private static XYSeries distribution(String name, List<Long> sortedNanos) {
        XYSeries series = new XYSeries(name);
        for (int i = 0; i < sortedNanos.size(); i++) {
            series.add(Math.max(0.1, sortedNanos.get(i) / 1e6), (i + 1.0) / sortedNanos.size());
        }
        return series;
    }

    private void save(JFreeChart chart, String name) {
        chart.setBackgroundPaint(Color.WHITE);
        try {
            ChartUtils.saveChartAsPNG(directory.resolve(name).toFile(), chart, 900, 500);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name, e);
        }
    }

    private void writeFile(String name, String content) {
        try {
            Files.writeString(directory.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name, e);
        }
    }
}
