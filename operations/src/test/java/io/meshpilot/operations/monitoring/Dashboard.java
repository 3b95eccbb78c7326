package io.meshpilot.operations.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Grafana dashboard: its panels and their PromQL. */
record Dashboard(JsonNode json, List<Panel> panels) {

    /** A panel that shows data (rows are not panels here). */
    record Panel(int id, String type, String title, String description, List<String> expressions, JsonNode gridPos) {
    }

    static Dashboard read(Path file) {
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Panel> panels = new ArrayList<>();
        for (JsonNode panel : json.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            List<String> expressions = new ArrayList<>();
            panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText()));
            panels.add(new Panel(panel.path("id").asInt(), panel.path("type").asText(), panel.path("title").asText(),
                    panel.path("description").asText(), List.copyOf(expressions), panel.path("gridPos")));
        }
        return new Dashboard(json, List.copyOf(panels));
    }

    List<String> expressions() {
        return panels.stream().flatMap(panel -> panel.expressions().stream()).toList();
    }

    /** An expression as Prometheus can run it: Grafana's variables replaced by what Grafana would put there. */
    static String runnable(String expression) {
        return expression.replace("$__rate_interval", "1m").replace("$__range", "1h").replace("$region", ".*")
                .replace("$namespace", ".*")
                .replace("$service", ".*");
    }

    /** The names of the dashboard's template variables, in order. */
    List<String> variables() {
        List<String> names = new ArrayList<>();
        json.path("templating").path("list").forEach(variable -> names.add(variable.path("name").asText()));
        return names;
    }
}
