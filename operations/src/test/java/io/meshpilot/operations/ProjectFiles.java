package io.meshpilot.operations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The files of this repository the operations tests check: the charts, the monitoring files and the docs. */
public final class ProjectFiles {

    private ProjectFiles() {
    }

    public static Path root() {
        return Path.of(System.getProperty("meshpilot.root", "..")).toAbsolutePath().normalize();
    }

    public static Path resolve(String relative) {
        Path path = root().resolve(relative);
        if (!Files.exists(path)) {
            throw new AssertionError(path + " does not exist");
        }
        return path;
    }

    public static String read(String relative) {
        try {
            return Files.readString(resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The charts, each shipping the alert rules of its component. */
    public static final List<String> CHARTS = List.of("meshpilot-control-plane", "meshpilot-agent");

    /** The alert rules a chart ships: {@code meshpilot-agent} or {@code meshpilot-control-plane}. */
    public static Path alertRules(String chart) {
        return resolve("helm/" + chart + "/files/" + chart + "-alerts.yml");
    }

    /** Both charts' alert rules. */
    public static List<Path> alertRules() {
        return CHARTS.stream().map(ProjectFiles::alertRules).toList();
    }

    public static Path dashboard() {
        return resolve("helm/meshpilot-control-plane/files/dashboard.json");
    }

    public static Path chart(String name) {
        return resolve("helm/" + name);
    }

    public static Path example(String file) {
        return resolve("helm/examples/" + file);
    }

    public static String metricsDoc() {
        return read("docs/metrics.md");
    }
}
