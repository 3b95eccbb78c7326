package io.meshpilot.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One flat JSON object per log line, whoever logged it: {@code time} (ISO-8601, UTC), {@code level} (as
 * {@code --log-level} names it), {@code logger}, {@code thread}, {@code message} with its placeholders filled, each
 * key-value pair and MDC entry as a key of its own, and for an exception {@code error} and {@code stack} (the whole
 * trace as one string). A field named like one of these is written as {@code field.<name>}.
 */
final class FlatJsonEncoder extends EncoderBase<ILoggingEvent> {

    private static final Set<String> RESERVED = Set.of("time", "level", "logger", "thread", "message", "error",
            "stack");
    private static final JsonFactory JSON = new JsonFactory();
    /** Always milliseconds, so every line's time has the same width. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(ZoneOffset.UTC);
    private static final byte[] NOTHING = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("time", TIME.format(Instant.ofEpochMilli(event.getTimeStamp())));
            json.writeStringField("level", event.getLevel().toString().toLowerCase(Locale.ROOT));
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("thread", event.getThreadName());
            json.writeStringField("message", event.getFormattedMessage());
            Set<String> written = new HashSet<>(RESERVED);
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair pair : event.getKeyValuePairs()) {
                    field(json, written, pair.key, pair.value);
                }
            }
            for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
                field(json, written, entry.getKey(), entry.getValue());
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField("error", thrown.getClassName() + (thrown.getMessage() == null ? ""
                        : ": " + thrown.getMessage()));
                json.writeStringField("stack", ThrowableProxyUtil.asString(thrown).strip());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        line.write('\n');
        return line.toByteArray();
    }

    private static void field(JsonGenerator json, Set<String> written, String key, Object value) throws IOException {
        String name = written.add(key) ? key : "field." + key;
        json.writeFieldName(name);
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            json.writeNumber(((Number) value).doubleValue());
        } else {
            json.writeString(String.valueOf(value));
        }
    }
}
