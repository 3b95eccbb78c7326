package io.meshpilot.benchmarks.endtoend;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the end-to-end harness runs: Services per region (one set of runs per size), how many runs of each, the
 * regions, the rate of EndpointSlice changes and how long latency is measured, the agents' write rate limit, apply
 * parallelism and publish window, how long the plain client loop measures the API server's patch ceiling, where
 * reports go, and an outside Kafka (default: an embedded broker).
 */
public record EndToEndSettings(List<Integer> services, int runs, List<String> regions, int changesPerSecond,
        Duration latencyWindow, int writeRate, int parallelism, Duration publishWindow, Duration ceilingWindow,
        Path output, Optional<String> kafkaBootstrap) {

    public EndToEndSettings {
        services = List.copyOf(services);
        regions = List.copyOf(regions);
        if (services.isEmpty() || services.stream().anyMatch(size -> size < 1)) {
            throw new IllegalArgumentException("--services must list positive sizes, got " + services);
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1, got " + runs);
        }
        if (changesPerSecond < 1) {
            throw new IllegalArgumentException("--rate must be at least 1 per second, got " + changesPerSecond);
        }
        if (latencyWindow.isNegative() || latencyWindow.isZero()) {
            throw new IllegalArgumentException("--latency-seconds must be positive, got " + latencyWindow);
        }
        if (writeRate < 1) {
            throw new IllegalArgumentException("--write-rate must be at least 1 per second, got " + writeRate);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("--apply-parallelism must be at least 1, got " + parallelism);
        }
        if (publishWindow.isNegative() || publishWindow.isZero()) {
            throw new IllegalArgumentException("--publish-window-ms must be positive, got " + publishWindow);
        }
        if (ceilingWindow.isNegative() || ceilingWindow.isZero()) {
            throw new IllegalArgumentException("--ceiling-seconds must be positive, got " + ceilingWindow);
        }
    }

    public static EndToEndSettings defaults() {
        return new EndToEndSettings(List.of(1_000), 3, List.of("us", "eu", "ap"), 20, Duration.ofSeconds(20),
                100_000, 8, Duration.ofMillis(100), Duration.ofSeconds(5), Path.of("benchmarks", "target", "end-to-end"),
                Optional.empty());
    }

    /**
     * {@code --services 1000,10000 --runs 3 --rate 20 --latency-seconds 20 --write-rate 100000 --apply-parallelism 8
     * --publish-window-ms 100 --ceiling-seconds 5 --out DIR --kafka HOST:PORT}
     */
    public static EndToEndSettings parse(String[] args) {
        EndToEndSettings s = defaults();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            try {
                s = switch (args[i]) {
                    case "--services" -> s.withServices(Arrays.stream(value.split(",")).map(String::trim)
                            .map(Integer::valueOf).toList());
                    case "--runs" -> s.withRuns(Integer.parseInt(value));
                    case "--rate" -> s.withChanges(Integer.parseInt(value), s.latencyWindow);
                    case "--latency-seconds" -> s.withChanges(s.changesPerSecond,
                            Duration.ofSeconds(Long.parseLong(value)));
                    case "--write-rate" -> new EndToEndSettings(s.services, s.runs, s.regions, s.changesPerSecond,
                            s.latencyWindow, Integer.parseInt(value), s.parallelism, s.publishWindow,
                            s.ceilingWindow, s.output, s.kafkaBootstrap);
                    case "--apply-parallelism" -> new EndToEndSettings(s.services, s.runs, s.regions,
                            s.changesPerSecond, s.latencyWindow, s.writeRate, Integer.parseInt(value),
                            s.publishWindow, s.ceilingWindow, s.output, s.kafkaBootstrap);
                    case "--publish-window-ms" -> new EndToEndSettings(s.services, s.runs, s.regions,
                            s.changesPerSecond, s.latencyWindow, s.writeRate, s.parallelism,
                            Duration.ofMillis(Long.parseLong(value)), s.ceilingWindow, s.output, s.kafkaBootstrap);
                    case "--ceiling-seconds" -> s.withCeiling(Duration.ofSeconds(Long.parseLong(value)));
                    case "--out" -> s.withOutput(Path.of(value));
                    case "--kafka" -> s.withKafka(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: "
                            + "--services, --runs, --rate, --latency-seconds, --write-rate, --apply-parallelism, "
                            + "--publish-window-ms, --ceiling-seconds, --out, --kafka");
                };
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(args[i] + " needs a number, got '" + value + "'");
            }
            i++;
        }
        return s;
    }

    public EndToEndSettings withServices(List<Integer> sizes) {
        return new EndToEndSettings(sizes, runs, regions, changesPerSecond, latencyWindow, writeRate, parallelism,
                publishWindow, ceilingWindow, output, kafkaBootstrap);
    }

    public EndToEndSettings withRuns(int count) {
        return new EndToEndSettings(services, count, regions, changesPerSecond, latencyWindow, writeRate, parallelism,
                publishWindow, ceilingWindow, output, kafkaBootstrap);
    }

    public EndToEndSettings withChanges(int rate, Duration window) {
        return new EndToEndSettings(services, runs, regions, rate, window, writeRate, parallelism, publishWindow,
                ceilingWindow, output, kafkaBootstrap);
    }

    public EndToEndSettings withCeiling(Duration window) {
        return new EndToEndSettings(services, runs, regions, changesPerSecond, latencyWindow, writeRate, parallelism,
                publishWindow, window, output, kafkaBootstrap);
    }

    public EndToEndSettings withOutput(Path directory) {
        return new EndToEndSettings(services, runs, regions, changesPerSecond, latencyWindow, writeRate, parallelism,
                publishWindow, ceilingWindow, directory, kafkaBootstrap);
    }

    public EndToEndSettings withKafka(String bootstrap) {
        return new EndToEndSettings(services, runs, regions, changesPerSecond, latencyWindow, writeRate, parallelism,
                publishWindow, ceilingWindow, output, Optional.of(bootstrap));
    }
}
