package io.meshpilot.benchmarks.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the load harness runs: Services per region (one run per size), the regions, the rate of background health
 * changes, how long latency is measured, each simulated agent's API write rate, the baseline's poll interval, where
 * reports go, and an outside Kafka (default: an embedded broker).
 */
public record HarnessSettings(List<Integer> services, List<String> regions, int changesPerSecond,
        Duration latencyWindow, int writeRate, Duration baselineInterval, Path output,
        Optional<String> kafkaBootstrap) {

    public static HarnessSettings defaults() {
        return new HarnessSettings(List.of(1_000, 10_000), List.of("us", "eu", "ap"), 100, Duration.ofSeconds(20),
                1_000, Duration.ofSeconds(5), Path.of("benchmarks", "target", "load"), Optional.empty());
    }

    /** {@code --services 1000,10000 --rate 100 --latency-seconds 20 --write-rate 1000 --baseline-seconds 5 --out DIR} */
    public static HarnessSettings parse(String[] args) {
        HarnessSettings settings = defaults();
        for (int i = 0; i < args.length; i++) {
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
                case "--kafka" -> new HarnessSettings(settings.services, settings.regions, settings.changesPerSecond,
                        settings.latencyWindow, settings.writeRate, settings.baselineInterval, settings.output,
                        Optional.of(value));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --services, "
                        + "--rate, --latency-seconds, --write-rate, --baseline-seconds, --out, --kafka");
            };
            i++;
        }
        return settings;
    }

    public HarnessSettings withServices(List<Integer> sizes) {
        return new HarnessSettings(sizes, regions, changesPerSecond, latencyWindow, writeRate, baselineInterval,
                output, kafkaBootstrap);
    }

    public HarnessSettings with(int rate, Duration window, int writes, Duration interval) {
        return new HarnessSettings(services, regions, rate, window, writes, interval, output, kafkaBootstrap);
    }

    public HarnessSettings withOutput(Path directory) {
        return new HarnessSettings(services, regions, changesPerSecond, latencyWindow, writeRate, baselineInterval,
                directory, kafkaBootstrap);
    }

    public HarnessSettings withKafka(String bootstrap) {
        return new HarnessSettings(services, regions, changesPerSecond, latencyWindow, writeRate, baselineInterval,
                output, Optional.of(bootstrap));
    }
}
