package io.meshpilot.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A component's operations endpoints read over real HTTP on loopback: {@code /metrics} parsed from the Prometheus
 * text format into series and values, {@code /healthz} and {@code /readyz} as status codes and bodies.
 */
public final class MetricsPage {

    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*\\})?) (\\S+)$");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, Double> series;

    private MetricsPage(Map<String, Double> series) {
        this.series = series;
    }

    /** Scrapes {@code http://127.0.0.1:<port>/metrics}. */
    public static MetricsPage scrape(int port) {
        return parse(get(port, "/metrics").body());
    }

    public static MetricsPage parse(String text) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher matcher = SERIES.matcher(line.trim());
            if (!line.startsWith("#") && matcher.matches()) {
                series.put(matcher.group(1), Double.parseDouble(matcher.group(3)));
            }
        }
        return new MetricsPage(series);
    }

    /** The value of a series written as on the page, e.g. {@code meshpilot_agent_leader} or with labels. */
    public double value(String seriesName) {
        Double value = series.get(seriesName);
        if (value == null) {
            throw new AssertionError("no series " + seriesName + " among " + series.keySet());
        }
        return value;
    }

    /** The value of a series, or 0 when it has not been exported yet (a counter never incremented). */
    public double valueOrZero(String seriesName) {
        return series.getOrDefault(seriesName, 0.0);
    }

    /** The names of the series on the page, without their labels (a histogram's as _bucket, _count, _sum). */
    public Set<String> seriesNames() {
        Set<String> names = new TreeSet<>();
        series.keySet().forEach(name -> names.add(name.replaceFirst("\\{.*", "")));
        return names;
    }

    /** The sum of every series of a metric, whatever its labels. */
    public double sum(String metricName) {
        return series.entrySet().stream()
                .filter(entry -> entry.getKey().equals(metricName) || entry.getKey().startsWith(metricName + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Whether any series has this metric name. */
    public boolean has(String metricName) {
        return series.keySet().stream().anyMatch(name -> name.equals(metricName) || name.startsWith(metricName + "{"));
    }

    /** GETs a path of a component's HTTP server on loopback. */
    public static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
