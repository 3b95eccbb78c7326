package io.meshpilot.cli.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meshpilot.schemas.MeshRecord;
import io.meshpilot.schemas.Names;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the documents of a policy file: YAML (JSON is YAML too), one or several documents separated by {@code ---},
 * each a TrafficPolicy that names its {@code scope}. {@code apiVersion} and {@code kind} may be left out. The
 * documents are checked only for what the file must carry; the control plane judges the rest.
 */
public final class PolicyDocuments {

    /** A policy to write: its scope (the record key) and the JSON document. */
    public record Document(String scope, byte[] json) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyDocuments() {
    }

    /** @param file a path, or {@code -} for standard input */
    public static List<Document> read(Path file) {
        try (InputStream in = file.toString().equals("-") ? System.in : Files.newInputStream(file)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("-f " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    static List<Document> parse(String text, String source) {
        List<Document> documents = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(text);
             MappingIterator<JsonNode> nodes = YAML.readValues(parser, JsonNode.class)) {
            int index = 0;
            while (nodes.hasNext()) {
                index++;
                JsonNode node = nodes.next();
                if (node == null || node.isNull() || node.isMissingNode()) {
                    continue;
                }
                documents.add(document(node, source + ", document " + index));
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(source + ": not valid YAML or JSON: " + firstLine(e.getMessage()), e);
        }
        if (documents.isEmpty()) {
            throw new IllegalArgumentException(source + ": no policy document");
        }
        return documents;
    }

    private static Document document(JsonNode node, String where) throws IOException {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": a policy must be a mapping, found " + node.getNodeType());
        }
        JsonNode scope = node.get("scope");
        if (scope == null || !scope.isTextual()) {
            throw new IllegalArgumentException(where + ": scope is required (<namespace>/<service>, <namespace>/* "
                    + "or *)");
        }
        Names.scope(scope.textValue()).ifPresent(problem -> {
            throw new IllegalArgumentException(where + ": scope '" + scope.textValue() + "' " + problem);
        });
        ObjectNode policy = JSON.createObjectNode();
        policy.put("apiVersion", MeshRecord.API_VERSION).put("kind", "TrafficPolicy");
        policy.setAll((ObjectNode) node);
        return new Document(scope.textValue(), JSON.writeValueAsBytes(policy));
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
