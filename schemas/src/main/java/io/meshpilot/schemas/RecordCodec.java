package io.meshpilot.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Reads and writes meshpilot.io/v1 documents. {@link #decode} checks the bytes against the kind's JSON Schema and
 * returns either the record or every problem found; it never throws on bad input. Thread-safe; share one.
 * Health, heartbeats, directives and statuses are first read by {@link StreamingDecoder}, which checks the same rules
 * in code and answers only for documents it is sure are valid; every other document goes the full way (the JSON
 * Schema validator, then data binding), which names every problem.
 */
public final class RecordCodec {

    /** The largest document accepted: 1 MiB, Kafka's default maximum record size. */
    public static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

    private static final RecordCodec INSTANCE = new RecordCodec();

    private final JsonMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new CanonicalStrings())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
    private final SchemaCatalog schemas = new SchemaCatalog();
    private final StreamingDecoder streaming = new StreamingDecoder(new JsonFactory());

    private RecordCodec() {
    }

    public static RecordCodec get() {
        return INSTANCE;
    }

    /** The document for a record, {@code apiVersion} and {@code kind} first. */
    public byte[] encode(MeshRecord record) {
        try {
            return mapper.writeValueAsBytes(toTree(record));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + record, e);
        }
    }

    /** The document for a record as a tree, {@code apiVersion} and {@code kind} first. */
    public ObjectNode toTree(MeshRecord record) {
        ObjectNode document = mapper.createObjectNode()
                .put("apiVersion", MeshRecord.API_VERSION)
                .put("kind", RecordKind.of(record.getClass()).kindName());
        document.setAll((ObjectNode) mapper.valueToTree(record));
        return document;
    }

    /** Decodes bytes that must hold a document of the given record class. */
    public <T extends MeshRecord> Decoded<T> decode(byte[] bytes, Class<T> recordClass) {
        try {
            return decodeChecked(bytes, recordClass);
        } catch (RuntimeException | StackOverflowError e) {
            return Decoded.invalid(FieldError.ofDocument("cannot be read: " + e));
        }
    }

    /** Decodes a parsed document (for example one read from YAML) that must be of the given record class. */
    public <T extends MeshRecord> Decoded<T> decode(JsonNode document, Class<T> recordClass) {
        try {
            return decodeTree(document, recordClass);
        } catch (RuntimeException | StackOverflowError e) {
            return Decoded.invalid(FieldError.ofDocument("cannot be read: " + e));
        }
    }

    private <T extends MeshRecord> Decoded<T> decodeChecked(byte[] bytes, Class<T> recordClass) {
        if (bytes == null) {
            return Decoded.invalid(FieldError.ofDocument("is missing (a tombstone has no document)"));
        }
        if (bytes.length > MAX_DOCUMENT_BYTES) {
            return Decoded.invalid(FieldError.ofDocument("is " + bytes.length + " bytes, over the limit of "
                    + MAX_DOCUMENT_BYTES + " bytes (1 MiB)"));
        }
        MeshRecord fast = streaming.decode(bytes, RecordKind.of(recordClass));
        if (fast != null) {
            return new Decoded.Valid<>(recordClass.cast(fast));
        }
        return decodeTree(bytes, recordClass);
    }

    /**
     * The full way, which every document the streaming path is not sure of takes: the tree checked against the kind's
     * JSON Schema (every problem named), then bound to the record.
     */
    <T extends MeshRecord> Decoded<T> decodeFully(byte[] bytes, Class<T> recordClass) {
        try {
            return bytes == null || bytes.length > MAX_DOCUMENT_BYTES ? decodeChecked(bytes, recordClass)
                    : decodeTree(bytes, recordClass);
        } catch (RuntimeException | StackOverflowError e) {
            return Decoded.invalid(FieldError.ofDocument("cannot be read: " + e));
        }
    }

    private <T extends MeshRecord> Decoded<T> decodeTree(byte[] bytes, Class<T> recordClass) {
        JsonNode document;
        try {
            document = mapper.readTree(bytes);
        } catch (IOException e) {
            return Decoded.invalid(FieldError.ofDocument("is not valid JSON: " + describe(e)));
        }
        if (document == null || document.isMissingNode()) {
            return Decoded.invalid(FieldError.ofDocument("is empty, expected a JSON object"));
        }
        return decodeTree(document, recordClass);
    }

    private <T extends MeshRecord> Decoded<T> decodeTree(JsonNode document, Class<T> recordClass) {
        RecordKind kind = RecordKind.of(recordClass);
        if (!document.isObject()) {
            return Decoded.invalid(FieldError.ofDocument(
                    "must be a JSON object, found " + document.getNodeType().name().toLowerCase()));
        }
        FieldError header = checkHeader(document, kind);
        if (header != null) {
            return Decoded.invalid(header);
        }
        List<FieldError> errors = SchemaErrors.toFieldErrors(schemas.forKind(kind).validate(document));
        if (!errors.isEmpty()) {
            return new Decoded.Invalid<>(errors);
        }
        try {
            ObjectNode fields = ((ObjectNode) document).deepCopy();
            fields.remove(List.of("apiVersion", "kind"));
            return new Decoded.Valid<>(mapper.treeToValue(fields, recordClass));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Decoded.invalid(FieldError.ofDocument("cannot be read as " + kind.kindName() + ": "
                    + describe(e)));
        }
    }

    private static FieldError checkHeader(JsonNode document, RecordKind kind) {
        FieldError apiVersion = checkConstant(document, "apiVersion", MeshRecord.API_VERSION);
        return apiVersion != null ? apiVersion : checkConstant(document, "kind", kind.kindName());
    }

    private static FieldError checkConstant(JsonNode document, String field, String expected) {
        JsonNode value = document.get(field);
        if (value == null) {
            return new FieldError(field, "is required (expected \"" + expected + "\")");
        }
        if (!value.isTextual() || !value.textValue().equals(expected)) {
            return new FieldError(field, "must be \"" + expected + "\", found " + abbreviate(value.toString()));
        }
        return null;
    }

    private static String describe(Exception e) {
        if (e instanceof JsonProcessingException json) {
            String where = json.getLocation() == null ? ""
                    : " at line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr();
            return abbreviate(json.getOriginalMessage()) + where;
        }
        return abbreviate(String.valueOf(e.getMessage()));
    }

    private static String abbreviate(String text) {
        String firstLine = text.lines().findFirst().orElse("");
        return firstLine.length() <= 200 ? firstLine : firstLine.substring(0, 200) + "...";
    }
}
