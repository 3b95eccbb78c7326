package io.meshpilot.benchmarks.load;

import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.MeshRecord;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The control plane's world model alone at any size, without Kafka or the rest of the control plane: every Service in
 * every region gets a health, a directive and a status, each encoded and decoded as it would arrive from its topic,
 * and the heap the model retains is measured (after full collections) with a class histogram of it, written to
 * {@code benchmarks/target/world-heap-<services>x<regions>.csv}, and the curve to {@code world-heap.png}. {@code java -cp
 * benchmarks.jar io.meshpilot.benchmarks.load.WorldModelHeap [services regions]...}, e.g. {@code 100000 3 200 255};
 * with an older build's jar first on the class path, that build's world model and codec.
 */
public final class WorldModelHeap {

    private static final Path OUTPUT = Path.of("benchmarks", "target");
    private static final Map<String, String> ANNOTATIONS = Map.of("service.cilium.io/global", "true",
            "service.cilium.io/shared", "true", "service.cilium.io/affinity", "local");

    private WorldModelHeap() {
    }

    public static void main(String[] args) {
        List<int[]> sizes = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            sizes.add(new int[] {Integer.parseInt(args[i]), Integer.parseInt(args[i + 1])});
        }
        if (sizes.isEmpty()) {
            sizes = List.of(new int[] {1_000, 3}, new int[] {10_000, 3}, new int[] {100_000, 3}, new int[] {200, 255});
        }
        System.setProperty("java.awt.headless", "true");
        XYSeries curve = new XYSeries("world model heap per Service-region (B)");
        for (int[] size : sizes) {
            curve.add((double) size[0] * size[1], measure(size[0], size[1]));
        }
        JFreeChart chart = ChartFactory.createXYLineChart("World model heap per Service-region", "Service-regions (log)",
                "bytes", new XYSeriesCollection(curve), PlotOrientation.VERTICAL, true, false, false);
        chart.getXYPlot().setDomainAxis(new LogarithmicAxis("Service-regions (log)"));
        chart.setBackgroundPaint(Color.WHITE);
        try {
            ChartUtils.saveChartAsPNG(OUTPUT.resolve("world-heap.png").toFile(), chart, 900, 500);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plot", e);
        }
    }

    private static double measure(int services, int regionCount) {
        RecordCodec codec = RecordCodec.get();
        List<String> regions = regionCount == 3 ? List.of("us", "eu", "ap")
                : java.util.stream.IntStream.rangeClosed(1, regionCount).mapToObj(i -> String.format("r%03d", i))
                        .toList();
        Instant now = Instant.parse("2026-12-01T23:00:00Z");
        HeapHistogram before = HeapHistogram.take();
        long heapBefore = settledHeap();
        WorldModel world = new WorldModel();
        for (int i = 0; i < services; i++) {
            ServiceKey key = new ServiceKey(SimulatedRegion.NAMESPACE, "svc-" + i);
            int partition = Math.floorMod(key.toString().hashCode(), 6);
            for (String region : regions) {
                world.health(key, region, partition, read(codec, new ServiceHealth(region, key.namespace(),
                        key.name(), new EndpointCounts(2, 2, 0, 2, 2), now.plusMillis(i), "sim-" + region)));
                world.directive(key, region, partition, read(codec, new ServiceDirective(region, key.namespace(),
                        key.name(), 1 + i, ANNOTATIONS, "local-healthy", now.plusMillis(i), "healthy", now, null)));
                world.status(key, region, partition, read(codec, new DirectiveStatus(region, key.namespace(),
                        key.name(), 1 + i, DirectiveStatus.Result.APPLIED, "applied", now.plusMillis(i),
                        "sim-" + region)));
            }
        }
        long heapAfter = settledHeap();
        HeapHistogram after = HeapHistogram.take();
        long serviceRegions = (long) services * regionCount;
        double perServiceRegion = (heapAfter - heapBefore) / (double) serviceRegions;
        System.out.println(String.format(Locale.ROOT, "world model, %d Services x %d regions: %.0f B per "
                + "Service-region (%d Services held)", services, regionCount, perServiceRegion, world.size()));
        HeapHistogram.difference(after, before, serviceRegions)
                .write(OUTPUT.resolve("world-heap-" + services + "x" + regionCount + ".csv"));
        return perServiceRegion;
    }

    private static <T extends MeshRecord> T read(RecordCodec codec, T record) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) record.getClass();
        if (codec.decode(codec.encode(record), type) instanceof Decoded.Valid<T> valid) {
            return valid.record();
        }
        throw new IllegalStateException("does not decode: " + record);
    }

    private static long settledHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
