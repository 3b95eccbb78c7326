package io.meshpilot.benchmarks.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the load harness runs: Services per region (one run per size), the regions, the rate of background health
 * changes, how long latency is measured, each simulated agent's API write rate, the baseline's poll interval, where
 * reports go, an outside Kafka (default: an embedded broker), whether the baseline runs too, and the partitions of
 * each topic (6, as {@code meshpilot topics create} makes them for one broker).
 */
public record HarnessSettings(List<Integer> services, List<String> regions, int changesPerSecond,
        Duration latencyWindow, int writeRate, Duration baselineInterval, Path output,
        Optional<String> kafkaBootstrap, boolean baseline, int partitions) {

    public HarnessSettings(List<Integer> services, List<String> regions, int changesPerSecond, Duration latencyWindow,
            int writeRate, Duration baselineInterval, Path output, Optional<String> kafkaBootstrap) {
        this(services, regions, changesPerSecond, latencyWindow, writeRate, baselineInterval, output, kafkaBootstrap,
                true, 6);
    }

    public static HarnessSettings defaults() {
        return new HarnessSettings(List.of(1_000, 10_000), List.of("us", "eu", "ap"), 100, Duration.ofSeconds(20),
                1_000, Duration.ofSeconds(5), Path.of("benchmarks", "target", "load"), Optional.empty());
    }

    /** {@code us,eu,ap}, or a count such as {@code 255}: that many regions named {@code r001} and on. */
    static List<String> regionsOf(String value) {
        if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
            int count = Integer.parseInt(value);
            if (count < 1 || count > 511) {
                throw new IllegalArgumentException("--regions must be 1 to 511 regions, got " + count);
            }
            return java.util.stream.IntStream.rangeClosed(1, count).mapToObj(i -> String.format("r%03d", i)).toList();
        }
        return Arrays.stream(value.split(",")).map(String::trim).toList();
    }

    /** {@code --services 1000,10000 --rate 100 --latency-seconds 20 --write-rate 1000 --baseline-seconds 5 --out DIR} */
    public static HarnessSettings parse(String[] args) {
        HarnessSettings settings = defaults();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--no-baseline")) {
                settings = settings.withoutBaseline();
                continue;
            }
            String value = i + 1 < args.length ? args[i + 1] : "";
            settings = switch (args[i]) {
                case "--services" -> settings.withServices(Arrays.stream(value.split(",")).map(String::trim)
                        .map(Integer::valueOf).toList());
                case "--rate" -> settings.with(Integer.parseInt(value), settings.latencyWindow, settings.writeRate,
                        settings.baselineInterval);
                case "--latency-seconds" -> settings.with(settings.changesPerSecond,
                        Duration.ofSeconds(Long.parseLong(value)), settings.writeRate, settings.baselineInterval);
                case "--write-rate" -> settings.with(settings.changesPerSecond, settings.latencyWindow,
                        Integer.parseInt(value), settings.baselineInterval);
                case "--baseline-seconds" -> settings.with(settings.changesPerSecond, settings.latencyWindow,
                        settings.writeRate, Duration.ofSeconds(Long.parseLong(value)));
                case "--out" -> settings.withOutput(Path.of(value));
                case "--regions" -> settings.withRegions(regionsOf(value));
                case "--partitions" -> settings.withPartitions(Integer.parseInt(value));
                case "--kafka" -> new HarnessSettings(settings.services, settings.regions, settings.changesPerSecond,
                        settings.latencyWindow, settings.writeRate, settings.baselineInterval, settings.output,
                        Optional.of(value), settings.baseline, settings.partitions);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --services, "
                        + "--regions, --partitions, --rate, --latency-seconds, --write-rate, --baseline-seconds, --out, "
                        + "--kafka, --no-baseline");
            };
            i++;
        }
        return settings;
    }

    public HarnessSettings withServices(List<Integer> sizes) {
        return new HarnessSettings(sizes, regions, changesPerSecond, latencyWindow, writeRate, baselineInterval,
                output, kafkaBootstrap, baseline, partitions);
    }

    public HarnessSettings withRegions(List<String> names) {
        return new HarnessSettings(services, List.copyOf(names), changesPerSecond, latencyWindow, writeRate,
                baselineInterval, output, kafkaBootstrap, baseline, partitions);
    }

    public HarnessSettings with(int rate, Duration window, int writes, Duration interval) {
        return new HarnessSettings(services, regions, rate, window, writes, interval, output, kafkaBootstrap,
                baseline, partitions);
    }

    public HarnessSettings withOutput(Path directory) {
        return new HarnessSettings(services, regions, changesPerSecond, latencyWindow, writeRate, baselineInterval,
                directory, kafkaBootstrap, baseline, partitions);
    }

    public HarnessSettings withKafka(String bootstrap) {
        return new HarnessSettings(services, regions, changesPerSecond, latencyWindow, writeRate, baselineInterval,
                output, Optional.of(bootstrap), baseline, partitions);
    }

    public HarnessSettings withPartitions(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + count);
        }
        return new HarnessSettings(services, regions, changesPerSecond, latencyWindow, writeRate, baselineInterval,
                output, kafkaBootstrap, baseline, count);
    }

    /** Only the event-driven system runs (the baseline is a reference at the default sizes). */
    public HarnessSettings withoutBaseline() {
        return new HarnessSettings(services, regions, changesPerSecond, latencyWindow, writeRate, baselineInterval,
                output, kafkaBootstrap, false, partitions);
    }
}
