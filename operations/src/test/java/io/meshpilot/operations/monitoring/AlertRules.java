package io.meshpilot.operations.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The alerting rules of a Prometheus rules file. */
record AlertRules(List<Alert> alerts) {

    record Alert(String name, String expr, Map<String, Object> labels, Map<String, Object> annotations) {
    }

    @SuppressWarnings("unchecked")
    static AlertRules read(Path file) {
        Map<String, Object> document;
        try {
            document = (Map<String, Object>) new Load(LoadSettings.builder().build())
                    .loadFromString(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Alert> alerts = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) document.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                alerts.add(new Alert((String) rule.get("alert"), (String) rule.get("expr"),
                        (Map<String, Object>) rule.getOrDefault("labels", Map.of()),
                        (Map<String, Object>) rule.getOrDefault("annotations", Map.of())));
            }
        }
        return new AlertRules(List.copyOf(alerts));
    }

    List<String> expressions() {
        return alerts.stream().map(Alert::expr).toList();
    }
}
