package io.meshpilot.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * The live objects of this JVM per class, as {@code jcmd <pid> GC.class_histogram} lists them (it collects first):
 * taken with the control plane running and again once it is closed (or before and after the agents start), the
 * difference is what it holds, written per Service-region so the heap figure says where it goes.
 */
public record HeapHistogram(Map<String, long[]> byClass) {

    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    public static HeapHistogram take() {
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            Map<String, long[]> byClass = new HashMap<>();
            text.lines().forEach(line -> {
                Matcher row = ROW.matcher(line);
                if (row.find()) {
                    byClass.merge(row.group(3), new long[] {Long.parseLong(row.group(1)),
                            Long.parseLong(row.group(2))}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
                }
            });
            return new HeapHistogram(byClass);
        } catch (Exception e) {
            throw new IllegalStateException("cannot take a class histogram", e);
        }
    }

    /** What {@code running} holds more than {@code closed}, largest first, with bytes per Service-region. */
    public static Difference difference(HeapHistogram running, HeapHistogram closed, long serviceRegions) {
        List<String[]> rows = running.byClass.entrySet().stream().map(entry -> {
            long[] after = closed.byClass.getOrDefault(entry.getKey(), new long[2]);
            return new Object[] {entry.getKey(), entry.getValue()[0] - after[0], entry.getValue()[1] - after[1]};
        }).filter(row -> (long) row[2] > 0).sorted((a, b) -> Long.compare((long) b[2], (long) a[2])).limit(60)
                .map(row -> new String[] {(String) row[0], Long.toString((long) row[1]), Long.toString((long) row[2]),
                        String.format(Locale.ROOT, "%.1f", (long) row[2] / (double) serviceRegions)}).toList();
        return new Difference(rows);
    }

    public record Difference(List<String[]> rows) {
        public void write(Path file) {
            StringBuilder csv = new StringBuilder("class,instances,bytes,bytes_per_service_region\n");
            rows.forEach(row -> csv.append('"').append(row[0]).append("\",").append(row[1]).append(',')
                    .append(row[2]).append(',').append(row[3]).append('\n'));
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, csv);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }
}
