package io.meshpilot.benchmarks.load;

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
 * Writes the harness's figures: {@code summary.csv} (one row per system, size and figure), per run the latency samples
 * and the outage trace as CSV, and two plots per size: the latency distribution and the outage's convergence.
 */
final class Report {

    private final Path directory;

    Report(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    void write(List<Result> results) {
        StringBuilder summary = new StringBuilder("system,services_per_region,regions,figure,value,unit\n");
        for (Result result : results) {
            row(summary, result, "initial_convergence", result.initialConvergence(), "s");
            row(summary, result, "health_records_read", result.recordsPerSecond(), "records/s");
            row(summary, result, "event_to_applied_p50", result.latencyP50Millis(), "ms");
            row(summary, result, "event_to_applied_p99", result.latencyP99Millis(), "ms");
            row(summary, result, "event_to_applied_max", result.latencyMaxMillis(), "ms");
            row(summary, result, "health_to_directive_committed_mean", result.decidingMeanMillis(), "ms");
            row(summary, result, "latency_samples", result.latencySamples(), "changes");
            row(summary, result, "latency_unresolved", result.latencyUnresolved(), "changes");
            row(summary, result, "outage_all_published", result.outagePublished(), "s");
            row(summary, result, "outage_all_applied", result.outageApplied(), "s");
            row(summary, result, "control_plane_heap", result.controlPlaneHeapBytes(), "bytes");
            row(summary, result, "heap_per_service_region", result.heapBytesPerServiceRegion(), "bytes");
            row(summary, result, "full_resync", result.resyncSeconds(), "s");
            writeSeries(result, "latency", "latency_ms", result.latencies(), 1e6);
            writeSeries(result, "outage-applied", "seconds_since_outage", result.outageAppliedTimes(), 1e9);
        }
        Result.heapExtremes(results).ifPresent(pair -> summary.append(String.format(Locale.ROOT,
                "\"event-driven (%d to %d)\",%d,%d,heap_per_additional_service_region,%.3f,bytes%n",
                pair.get(0).services(), pair.get(1).services(), pair.get(1).services(), pair.get(1).regions(),
                Result.marginalHeapBytes(pair.get(0), pair.get(1)))));
        writeFile("summary.csv", summary.toString());
        results.stream().map(Result::services).distinct().forEach(size -> plots(size, results.stream()
                .filter(result -> result.services() == size).toList()));
        scaling(results.stream().filter(result -> !Double.isNaN(result.controlPlaneHeapBytes())).toList());
    }

    /** With two sizes or more: heap per Service-region and the full resync against the Service-regions. */
    private void scaling(List<Result> measured) {
        if (measured.size() < 2) {
            return;
        }
        XYSeries heap = new XYSeries("control-plane heap per Service-region (B)");
        XYSeries resync = new XYSeries("full resync: every region's health read (s)");
        for (Result result : measured) {
            double serviceRegions = (double) result.services() * result.regions();
            heap.add(serviceRegions, result.heapBytesPerServiceRegion());
            resync.add(serviceRegions, result.resyncSeconds());
        }
        JFreeChart heapChart = ChartFactory.createXYLineChart("Control-plane heap per Service-region",
                "Service-regions (log)", "bytes", new XYSeriesCollection(heap), PlotOrientation.VERTICAL, true, false,
                false);
        heapChart.getXYPlot().setDomainAxis(new LogarithmicAxis("Service-regions (log)"));
        save(heapChart, "scaling-heap.png");
        JFreeChart resyncChart = ChartFactory.createXYLineChart("Full resync of every region's health",
                "Service-regions (log)", "seconds", new XYSeriesCollection(resync), PlotOrientation.VERTICAL, true,
                false, false);
        resyncChart.getXYPlot().setDomainAxis(new LogarithmicAxis("Service-regions (log)"));
        save(resyncChart, "scaling-resync.png");
    }

    private static void row(StringBuilder csv, Result result, String figure, double value, String unit) {
        csv.append(String.format(Locale.ROOT, "\"%s\",%d,%d,%s,%.3f,%s%n", result.system(), result.services(),
                result.regions(), figure, value, unit));
    }

    private void writeSeries(Result result, String what, String column, List<Long> nanos, double scale) {
        StringBuilder csv = new StringBuilder(column + "\n");
        nanos.forEach(value -> csv.append(String.format(Locale.ROOT, "%.3f%n", value / scale)));
        writeFile(what + "-" + slug(result) + ".csv", csv.toString());
    }

    private void plots(int size, List<Result> results) {
        XYSeriesCollection cdf = new XYSeriesCollection();
        XYSeriesCollection outage = new XYSeriesCollection();
        for (Result result : results) {
            XYSeries latency = new XYSeries(result.system());
            List<Long> samples = result.latencies();
            for (int i = 0; i < samples.size(); i++) {
                latency.add(Math.max(0.1, samples.get(i) / 1e6), (i + 1.0) / samples.size());
            }
            cdf.addSeries(latency);
            outage.addSeries(cumulative(result.system() + ": applied", result.outageAppliedTimes()));
            if (!result.system().startsWith("baseline")) {
                outage.addSeries(cumulative(result.system() + ": directive received",
                        result.outagePublishedTimes()));
            }
        }
        JFreeChart latencyChart = ChartFactory.createXYLineChart("Event to applied, " + size
                + " Services per region", "milliseconds (log)", "fraction of changes", cdf, PlotOrientation.VERTICAL,
                true, false, false);
        latencyChart.getXYPlot().setDomainAxis(new LogarithmicAxis("milliseconds (log)"));
        save(latencyChart, "latency-" + size + ".png");
        JFreeChart outageChart = ChartFactory.createXYLineChart("Region outage, " + size + " Services",
                "seconds since every Service of the region lost its endpoints", "Services failed over", outage,
                PlotOrientation.VERTICAL, true, false, false);
        save(outageChart, "outage-" + size + ".png");
    }

    /** How many Services had reached a point by each time (sorted nanoseconds since the outage), in seconds. */
    private static XYSeries cumulative(String name, List<Long> sortedNanos) {
        XYSeries series = new XYSeries(name);
        series.add(0, 0);
        for (int i = 0; i < sortedNanos.size(); i++) {
            series.add(sortedNanos.get(i) / 1e9, i + 1);
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

    private static String slug(Result result) {
        return (result.system().startsWith("baseline") ? "baseline" : "event-driven") + "-" + result.services();
    }
}
