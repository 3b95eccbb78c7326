package io.meshpilot.operations.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The values table of a chart's README, generated from its values.schema.json (keys, types, descriptions) and its
 * values.yaml (defaults). It sits between {@link #START} and {@link #END} in the README; {@code ChartReadmeTest}
 * fails when it is not current and rewrites it with {@code -Dreadme.update=true}.
 */
final class ValuesTable {

    static final String START = "<!-- values table: generated from values.schema.json and values.yaml; "
            + "./mvnw -pl operations test -Dtest=ChartReadmeTest -Dreadme.update=true -->";
    static final String END = "<!-- end of values table -->";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ValuesTable() {
    }

    /** Every settable key: objects with declared properties are opened, everything else is one row. */
    static List<String> keys(Path chart) {
        List<String> keys = new ArrayList<>();
        walk(schema(chart), "", (key, node) -> keys.add(key));
        return keys;
    }

    static String render(Path chart) {
        Map<String, Object> defaults = HelmChart.readYaml(chart.resolve("values.yaml"));
        StringBuilder table = new StringBuilder("| key | type | default | description |\n|---|---|---|---|\n");
        JsonNode schema = schema(chart);
        walk(schema, "", (key, node) -> table.append("| `").append(key).append("` | ")
                .append(type(schema, node)).append(" | ").append(defaultOf(defaults, key)).append(" | ")
                .append(markdown(node.path("description").asText())).append(" |\n"));
        return table.toString();
    }

    /** The README with its table replaced by the current one. */
    static String updated(String readme, Path chart) {
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        if (start < 0 || end < start) {
            throw new AssertionError("the README has no values table between " + START + " and " + END);
        }
        return readme.substring(0, start + START.length()) + "\n\n" + render(chart) + "\n" + readme.substring(end);
    }

    private interface Row {
        void add(String key, JsonNode node);
    }

    private static void walk(JsonNode node, String path, Row row) {
        JsonNode properties = node.path("properties");
        if (node.path("type").asText().equals("object") && properties.isObject() && !properties.isEmpty()) {
            Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                walk(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), row);
            }
        } else {
            row.add(path, node);
        }
    }

    /** Text safe in a Markdown table cell: no cell break, no {@code <name>} read as an HTML tag. */
    private static String markdown(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String type(JsonNode schema, JsonNode node) {
        JsonNode resolved = node;
        if (node.has("$ref")) {
            String name = node.path("$ref").asText().replace("#/definitions/", "");
            resolved = schema.path("definitions").path(name);
            if (name.equals("duration")) {
                return "duration";
            }
        }
        JsonNode type = resolved.path("type");
        String text = type.isArray() ? String.join(" or ", JSON.convertValue(type, String[].class)) : type.asText();
        JsonNode values = resolved.path("enum");
        return values.isArray() ? text + ": " + String.join(", ", JSON.convertValue(values, String[].class)) : text;
    }

    @SuppressWarnings("unchecked")
    private static String defaultOf(Map<String, Object> defaults, String key) {
        Object value = defaults;
        for (String part : key.split("\\.")) {
            value = value instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(part) : null;
        }
        if (value == null || value.equals("")) {
            return value == null ? "" : "`\"\"`";
        }
        try {
            return "`" + JSON.writeValueAsString(value).replace("|", "\\|") + "`";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode schema(Path chart) {
        try {
            return JSON.readTree(Files.readString(chart.resolve("values.schema.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
