package io.meshpilot.cli.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.FieldError;
import io.meshpilot.schemas.MeshRecord;
import io.meshpilot.schemas.Names;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.TrafficPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads the documents of a policy file: YAML (JSON is YAML too), one or several documents separated by {@code ---},
 * each a TrafficPolicy that names its {@code scope}. {@code apiVersion} and {@code kind} may be left out.
 * {@link #check} judges a document against the bundled schemas; only the control plane knows the regions.
 */
public final class PolicyDocuments {

    /** A policy to write: its scope (the record key) and the JSON document. */
    public record Document(String scope, byte[] json) {
    }

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
        Load yaml = new Load(LoadSettings.builder().setLabel(source).build());
        try {
            int index = 0;
            for (Object parsed : yaml.loadAllFromString(text)) {
                index++;
                if (parsed == null) {
                    continue;
                }
                documents.add(document(JSON.valueToTree(parsed), source + ", document " + index));
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

    /** What the bundled schemas find wrong with a document (nothing for a valid one), as the control plane would. */
    public static List<FieldError> check(Document document) {
        return RecordCodec.get().decode(document.json(), TrafficPolicy.class) instanceof Decoded.Invalid<?> invalid
                ? invalid.errors() : List.of();
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
