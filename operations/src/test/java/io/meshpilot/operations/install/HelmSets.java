package io.meshpilot.operations.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshpilot.operations.ProjectFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code --set KEY=VALUE} of the {@code helm install|upgrade} commands in a script or a Markdown page. */
final class HelmSets {

    /** One {@code --set} of a helm command on the chart {@code helm/<chart>}. */
    record Set(String chart, String key) {
    }

    private static final Pattern CHART = Pattern.compile("helm/(meshpilot-[a-z-]+)");
    private static final Pattern SET = Pattern.compile("--set(?:-string)?[ =]([A-Za-z0-9_.\\[\\]-]+)=");

    private HelmSets() {
    }

    static List<Set> in(String text) {
        List<Set> sets = new ArrayList<>();
        for (String command : text.replace("\\\n", " ").split("\n")) {
            if (!command.matches(".*\\bhelm\\b.*\\b(install|upgrade)\\b.*")) {
                continue;
            }
            Matcher chart = CHART.matcher(command);
            if (!chart.find()) {
                continue;
            }
            Matcher set = SET.matcher(command);
            while (set.find()) {
                sets.add(new Set(chart.group(1), set.group(1)));
            }
        }
        return sets;
    }

    /** The key names a property the schema declares (list indexes and free-form objects' own keys allowed). */
    static boolean existsInSchema(Set set) {
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(ProjectFiles.read("helm/" + set.chart() + "/values.schema.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String part : set.key().replaceAll("\\[[0-9]+\\]", "").split("\\.")) {
            JsonNode properties = node.path("properties");
            if (!properties.isObject() || properties.isEmpty()) {
                return node.path("type").asText().equals("object") || node.path("type").asText().equals("array");
            }
            if (!properties.has(part)) {
                return false;
            }
            node = properties.path(part);
        }
        return true;
    }
}
