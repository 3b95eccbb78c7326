package io.meshpilot.schemas;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON Schemas of {@code src/main/resources/io/meshpilot/schemas/v1}, loaded once from the classpath (never
 * from the network: their {@code $id}s are mapped to the classpath).
 */
final class SchemaCatalog {

    static final String ID_PREFIX = "https://meshpilot.io/schemas/v1/";
    private static final String CLASSPATH_PREFIX = "classpath:io/meshpilot/schemas/v1/";

    private final SchemaRegistry registry;
    private final Map<RecordKind, Schema> byKind = new EnumMap<>(RecordKind.class);

    SchemaCatalog() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .locale(Locale.ENGLISH)
                .errorMessageKeyword("message")
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_PATH)
                .build();
        registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemaRegistryConfig(config)
                .schemaLoader(loader -> loader
                        .fetchRemoteResources(false)
                        .schemaIdResolvers(ids -> ids.mapPrefix(ID_PREFIX, CLASSPATH_PREFIX))));
        for (RecordKind kind : RecordKind.values()) {
            Schema schema = registry.getSchema(SchemaLocation.of(ID_PREFIX + kind.schemaFile()));
            schema.initializeValidators();
            byKind.put(kind, schema);
        }
    }

    Schema forKind(RecordKind kind) {
        return byKind.get(kind);
    }

    /** A definition of {@code common.schema.json}, such as {@code region}. */
    Schema commonDefinition(String name) {
        Schema schema = registry.getSchema(SchemaLocation.of(ID_PREFIX + "common.schema.json#/$defs/" + name));
        schema.initializeValidators();
        return schema;
    }
}
