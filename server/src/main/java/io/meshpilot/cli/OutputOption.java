package io.meshpilot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.Locale;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import picocli.CommandLine.Option;

/** {@code -o text|json|yaml}, as kubectl's {@code -o}: text for people, JSON or YAML of the same fields for tools. */
final class OutputOption {

    enum Format { TEXT, JSON, YAML }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "${env:MESHPILOT_OUTPUT:-text}",
            converter = FormatConverter.class,
            description = "text, json or yaml (env MESHPILOT_OUTPUT; default: ${DEFAULT-VALUE}).")
    Format format = Format.TEXT;

    boolean text() {
        return format == Format.TEXT;
    }

    /** Prints a document as JSON or YAML; text is the command's own. */
    void print(PrintWriter out, JsonNode document) {
        try {
            if (format == Format.YAML) {
                Dump yaml = new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build());
                out.print(yaml.dumpToString(JSON.convertValue(document, Object.class)));
            } else {
                out.println(PRETTY.writeValueAsString(document));
            }
            out.flush();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write the output: " + e.getMessage(), e);
        }
    }

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            try {
                return Format.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not text, json or yaml");
            }
        }
    }
}
