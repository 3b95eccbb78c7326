package io.meshpilot.schemas;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hot path of {@link RecordCodec#decode(byte[], Class)} for the kinds read once per Service and region (health,
 * heartbeats, directives, statuses): Jackson's streaming parser straight into the record, every rule of the kind's
 * JSON Schema checked in code on the way (required and unknown fields, types, lengths, patterns, ranges, enums,
 * sizes, uniqueness, timestamps). It answers only with a record it is sure of. At the first thing it does not accept
 * (a broken rule, but also anything it does not read itself, such as a timestamp with an offset, a number written
 * as {@code 2.0} or a duplicate field) it gives up, and the codec decodes the document the full way: JSON Schema
 * validation of the tree, then data binding, which names every problem as before. A valid document so costs a
 * fraction of what it did, an invalid one what it did. {@code StreamingDecoderTest} checks that the two paths agree.
 */
final class StreamingDecoder {

    private static final int MAX_ANNOTATIONS = 16;
    private static final int MAX_REGIONS = 511;
    private static final int REGION_LENGTH = 32;
    private static final int LABEL_LENGTH = 63;

    /** Control flow, not an error: thrown without a stack trace at the first thing this path does not accept. */
    private static final class NotSure extends RuntimeException {
        private NotSure() {
            super(null, null, false, false);
        }
    }

    private static final NotSure NOT_SURE = new NotSure();

    private final JsonFactory factory;

    StreamingDecoder(JsonFactory factory) {
        this.factory = factory;
    }

    /** Whether this path reads documents of the kind at all. */
    static boolean reads(RecordKind kind) {
        return switch (kind) {
            case SERVICE_HEALTH, AGENT_HEARTBEAT, SERVICE_DIRECTIVE, DIRECTIVE_STATUS -> true;
            default -> false;
        };
    }

    /** The record the document holds, or null when the full path must decide (invalid, or not read here). */
    MeshRecord decode(byte[] bytes, RecordKind kind) {
        if (!reads(kind)) {
            return null;
        }
        try (JsonParser parser = factory.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            MeshRecord record = switch (kind) {
                case SERVICE_HEALTH -> health(parser);
                case AGENT_HEARTBEAT -> heartbeat(parser);
                case SERVICE_DIRECTIVE -> directive(parser);
                case DIRECTIVE_STATUS -> status(parser);
                default -> null;
            };
            return parser.nextToken() == null ? record : null;
        } catch (IOException | RuntimeException e) { // NotSure included: the full way decides
            return null;
        }
    }

    private static ServiceHealth health(JsonParser parser) throws IOException {
        Fields seen = new Fields();
        String region = null;
        String namespace = null;
        String service = null;
        EndpointCounts endpoints = null;
        Instant observedAt = null;
        String agentId = null;
        Boolean exportable = null;
        Boolean mcsApiExport = null;
        for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
            switch (field) {
                case "apiVersion" -> header(parser, seen, 0, MeshRecord.API_VERSION);
                case "kind" -> header(parser, seen, 1, "ServiceHealth");
                case "region" -> region = label(parser, seen, 2, REGION_LENGTH);
                case "namespace" -> namespace = label(parser, seen, 3, LABEL_LENGTH);
                case "service" -> service = serviceName(parser, seen, 4);
                case "endpoints" -> endpoints = endpoints(parser, seen, 5);
                case "observedAt" -> observedAt = timestamp(parser, seen, 6);
                case "agentId" -> agentId = agentId(parser, seen, 7);
                case "exportable" -> exportable = bool(parser, seen, 8);
                case "mcsApiExport" -> mcsApiExport = bool(parser, seen, 9);
                default -> throw NOT_SURE;
            }
        }
        seen.require(parser, 0b1111_1111);
        return new ServiceHealth(region, namespace, service, endpoints, observedAt, agentId, exportable,
                mcsApiExport);
    }

    private static EndpointCounts endpoints(JsonParser parser, Fields outer, int bit) throws IOException {
        outer.see(bit);
        expect(parser.nextToken(), JsonToken.START_OBJECT);
        Fields seen = new Fields();
        int ready = 0;
        int serving = 0;
        int terminating = 0;
        int active = 0;
        Integer fallback = null;
        Integer exported = null;
        int total = 0;
        for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
            switch (field) {
                case "ready" -> ready = count(parser, seen, 0);
                case "serving" -> serving = count(parser, seen, 1);
                case "terminating" -> terminating = count(parser, seen, 2);
                case "active" -> active = count(parser, seen, 3);
                case "total" -> total = count(parser, seen, 4);
                case "fallback" -> fallback = count(parser, seen, 5);
                case "exported" -> exported = count(parser, seen, 6);
                default -> throw NOT_SURE;
            }
        }
        seen.require(parser, 0b1_1111);
        return new EndpointCounts(ready, serving, terminating, active, fallback, exported, total);
    }

    private static AgentHeartbeat heartbeat(JsonParser parser) throws IOException {
        Fields seen = new Fields();
        String region = null;
        String agentId = null;
        String version = null;
        Instant sentAt = null;
        int servicesWatched = 0;
        boolean leader = false;
        for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
            switch (field) {
                case "apiVersion" -> header(parser, seen, 0, MeshRecord.API_VERSION);
                case "kind" -> header(parser, seen, 1, "AgentHeartbeat");
                case "region" -> region = label(parser, seen, 2, REGION_LENGTH);
                case "agentId" -> agentId = agentId(parser, seen, 3);
                case "version" -> version = text(parser, seen, 4, 1, 64);
                case "sentAt" -> sentAt = timestamp(parser, seen, 5);
                case "servicesWatched" -> servicesWatched = count(parser, seen, 6);
                case "leader" -> leader = bool(parser, seen, 7);
                default -> throw NOT_SURE;
            }
        }
        seen.require(parser, 0b1111_1111);
        return new AgentHeartbeat(region, agentId, version, sentAt, servicesWatched, leader);
    }

    private static ServiceDirective directive(JsonParser parser) throws IOException {
        Fields seen = new Fields();
        String region = null;
        String namespace = null;
        String service = null;
        long version = 0;
        Map<String, String> annotations = null;
        String reason = null;
        Instant decidedAt = null;
        String state = null;
        Instant since = null;
        List<String> dependsOn = null;
        for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
            switch (field) {
                case "apiVersion" -> header(parser, seen, 0, MeshRecord.API_VERSION);
                case "kind" -> header(parser, seen, 1, "ServiceDirective");
                case "region" -> region = label(parser, seen, 2, REGION_LENGTH);
                case "namespace" -> namespace = label(parser, seen, 3, LABEL_LENGTH);
                case "service" -> service = serviceName(parser, seen, 4);
                case "version" -> version = directiveVersion(parser, seen, 5);
                case "annotations" -> annotations = annotations(parser, seen, 6);
                case "reason" -> reason = reason(parser, seen, 7);
                case "decidedAt" -> decidedAt = timestamp(parser, seen, 8);
                case "state" -> state = oneOf(parser, seen, 9, "healthy", "degraded", "drained", "stale");
                case "since" -> since = timestamp(parser, seen, 10);
                case "dependsOn" -> dependsOn = regions(parser, seen, 11);
                default -> throw NOT_SURE;
            }
        }
        seen.require(parser, 0b1_1111_1111);
        return new ServiceDirective(region, namespace, service, version, annotations, reason, decidedAt, state, since,
                dependsOn);
    }

    private static DirectiveStatus status(JsonParser parser) throws IOException {
        Fields seen = new Fields();
        String region = null;
        String namespace = null;
        String service = null;
        long version = 0;
        DirectiveStatus.Result result = null;
        String message = null;
        Instant observedAt = null;
        String agentId = null;
        for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
            switch (field) {
                case "apiVersion" -> header(parser, seen, 0, MeshRecord.API_VERSION);
                case "kind" -> header(parser, seen, 1, "DirectiveStatus");
                case "region" -> region = label(parser, seen, 2, REGION_LENGTH);
                case "namespace" -> namespace = label(parser, seen, 3, LABEL_LENGTH);
                case "service" -> service = serviceName(parser, seen, 4);
                case "version" -> version = directiveVersion(parser, seen, 5);
                case "result" -> result = result(parser, seen, 6);
                case "observedAt" -> observedAt = timestamp(parser, seen, 7);
                case "agentId" -> agentId = agentId(parser, seen, 8);
                case "message" -> message = text(parser, seen, 9, 0, 4096);
                default -> throw NOT_SURE;
            }
        }
        seen.require(parser, 0b1_1111_1111);
        return new DirectiveStatus(region, namespace, service, version, result, message, observedAt, agentId);
    }

    /** The fields of one object read so far, one bit each: a field read twice or a required one missing is refused. */
    private static final class Fields {
        private int bits;

        void see(int bit) {
            int mask = 1 << bit;
            if ((bits & mask) != 0) {
                throw NOT_SURE;
            }
            bits |= mask;
        }

        /** At the object's end, with every field of {@code required} seen. */
        void require(JsonParser parser, int required) {
            if (parser.currentToken() != JsonToken.END_OBJECT || (bits & required) != required) {
                throw NOT_SURE;
            }
        }
    }

    private static void header(JsonParser parser, Fields seen, int bit, String expected) throws IOException {
        seen.see(bit);
        if (parser.nextToken() != JsonToken.VALUE_STRING || !expected.equals(parser.getText())) {
            throw NOT_SURE;
        }
    }

    /** {@code common.schema.json#/$defs/region} and {@code namespace}: a DNS-1123 label. */
    private static String label(JsonParser parser, Fields seen, int bit, int maxLength) throws IOException {
        seen.see(bit);
        String value = string(parser);
        if (!isLabel(value, 0, value.length(), maxLength, false)) {
            throw NOT_SURE;
        }
        return CanonicalStrings.canonical(value);
    }

    /** {@code serviceName}: a DNS-1035 label. */
    private static String serviceName(JsonParser parser, Fields seen, int bit) throws IOException {
        seen.see(bit);
        String value = string(parser);
        if (!isLabel(value, 0, value.length(), LABEL_LENGTH, false) || !isLower(value.charAt(0))) {
            throw NOT_SURE;
        }
        return CanonicalStrings.canonical(value);
    }

    /** {@code agentId}: letters, digits, '-', '_' or '.', starting and ending with a letter or digit. */
    private static String agentId(JsonParser parser, Fields seen, int bit) throws IOException {
        seen.see(bit);
        String value = string(parser);
        if (value.length() > CanonicalStrings.LONGEST_NAME || !isKeyName(value, 0, value.length())) {
            throw NOT_SURE;
        }
        return CanonicalStrings.canonical(value);
    }

    /** {@code reason}: {@code ^[a-z][a-z0-9-]*$}, 1 to 64 characters. */
    private static String reason(JsonParser parser, Fields seen, int bit) throws IOException {
        seen.see(bit);
        String value = string(parser);
        int length = value.length();
        if (length < 1 || length > 64 || !isLower(value.charAt(0))) {
            throw NOT_SURE;
        }
        for (int i = 1; i < length; i++) {
            char c = value.charAt(i);
            if (!isLower(c) && !isDigit(c) && c != '-') {
                throw NOT_SURE;
            }
        }
        return CanonicalStrings.canonical(value);
    }

    /** A string of {@code min} to {@code max} characters (JSON Schema counts code points: longer ones go the full way). */
    private static String text(JsonParser parser, Fields seen, int bit, int min, int max) throws IOException {
        seen.see(bit);
        String value = string(parser);
        if (value.length() < min || value.length() > max) {
            throw NOT_SURE;
        }
        return CanonicalStrings.canonical(value);
    }

    private static String oneOf(JsonParser parser, Fields seen, int bit, String... allowed) throws IOException {
        seen.see(bit);
        String value = string(parser);
        for (String candidate : allowed) {
            if (candidate.equals(value)) {
                return candidate;
            }
        }
        throw NOT_SURE;
    }

    private static DirectiveStatus.Result result(JsonParser parser, Fields seen, int bit) throws IOException {
        seen.see(bit);
        return switch (string(parser)) {
            case "Applied" -> DirectiveStatus.Result.APPLIED;
            case "Failed" -> DirectiveStatus.Result.FAILED;
            case "Rejected" -> DirectiveStatus.Result.REJECTED;
            default -> throw NOT_SURE;
        };
    }

    /** {@code count}: an integer from 0 to 1,000,000. */
    private static int count(JsonParser parser, Fields seen, int bit) throws IOException {
        seen.see(bit);
        if (parser.nextToken() != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
            throw NOT_SURE;
        }
        int value = parser.getIntValue();
        if (value < 0 || value > 1_000_000) {
            throw NOT_SURE;
        }
        return value;
    }

    /** {@code directiveVersion}: an integer of at least 1 (that fits the record's long). */
    private static long directiveVersion(JsonParser parser, Fields seen, int bit) throws IOException {
        seen.see(bit);
        if (parser.nextToken() != JsonToken.VALUE_NUMBER_INT
                || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw NOT_SURE;
        }
        long value = parser.getLongValue();
        if (value < 1) {
            throw NOT_SURE;
        }
        return value;
    }

    private static Boolean bool(JsonParser parser, Fields seen, int bit) throws IOException {
        seen.see(bit);
        return switch (parser.nextToken()) {
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> throw NOT_SURE;
        };
    }

    /**
     * {@code timestamp}: only the form meshpilot writes, {@code 2026-11-25T16:40:00Z} with up to nine fraction digits
     * and no leap second; other RFC 3339 forms (offsets, lowercase letters) go the full way.
     */
    private static Instant timestamp(JsonParser parser, Fields seen, int bit) throws IOException {
        seen.see(bit);
        String value = string(parser);
        int length = value.length();
        if (length < 20 || length > 30 || value.charAt(4) != '-' || value.charAt(7) != '-'
                || value.charAt(10) != 'T' || value.charAt(13) != ':' || value.charAt(16) != ':'
                || value.charAt(length - 1) != 'Z') {
            throw NOT_SURE;
        }
        int nanos = 0;
        if (length > 20) {
            if (value.charAt(19) != '.' || length == 21) {
                throw NOT_SURE;
            }
            nanos = number(value, 20, length - 1);
            for (int digits = length - 21; digits < 9; digits++) {
                nanos *= 10;
            }
        }
        int year = number(value, 0, 4);
        int hour = number(value, 11, 13);
        int minute = number(value, 14, 16);
        int second = number(value, 17, 19);
        if (year == 0 || hour > 23 || minute > 59 || second > 59) {
            throw NOT_SURE;
        }
        // LocalDateTime.of refuses a day the month does not have
        return LocalDateTime.of(year, number(value, 5, 7), number(value, 8, 10), hour, minute, second, nanos)
                .toInstant(ZoneOffset.UTC);
    }

    /** The decimal digits of {@code [from, to)}. */
    private static int number(String value, int from, int to) {
        int number = 0;
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (!isDigit(c)) {
                throw NOT_SURE;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }

    /** {@code annotations}: at most 16 owned annotation names, each to a string of at most 256 characters. */
    private static Map<String, String> annotations(JsonParser parser, Fields seen, int bit) throws IOException {
        seen.see(bit);
        expect(parser.nextToken(), JsonToken.START_OBJECT);
        String[] entries = new String[2 * MAX_ANNOTATIONS];
        int size = 0;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            if (size == MAX_ANNOTATIONS || !isAnnotationName(name)) {
                throw NOT_SURE;
            }
            String value = annotationValue(parser);
            entries[2 * size] = name; // field names are interned by the parser's symbol table
            entries[2 * size + 1] = value;
            size++;
        }
        expect(parser.currentToken(), JsonToken.END_OBJECT);
        @SuppressWarnings("unchecked")
        Map.Entry<String, String>[] pairs = new Map.Entry[size];
        for (int i = 0; i < size; i++) {
            pairs[i] = Map.entry(entries[2 * i], entries[2 * i + 1]);
        }
        return Map.ofEntries(pairs); // refuses a duplicate name: the full way reports it
    }

    private static final String[] ANNOTATION_VALUES = {"true", "false", "local", "remote"};

    /** A string of at most 256 characters; the values meshpilot writes are read without a copy. */
    private static String annotationValue(JsonParser parser) throws IOException {
        expect(parser.nextToken(), JsonToken.VALUE_STRING);
        int length = parser.getTextLength();
        if (length <= 6) {
            char[] text = parser.getTextCharacters();
            int offset = parser.getTextOffset();
            for (String known : ANNOTATION_VALUES) {
                if (sameText(known, text, offset, length)) {
                    return known;
                }
            }
        }
        String value = parser.getText();
        if (value.length() > 256) {
            throw NOT_SURE;
        }
        return CanonicalStrings.canonical(value);
    }

    private static boolean sameText(String known, char[] text, int offset, int length) {
        if (known.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (known.charAt(i) != text[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /** An array of at most 511 distinct regions. */
    private static List<String> regions(JsonParser parser, Fields seen, int bit) throws IOException {
        seen.see(bit);
        expect(parser.nextToken(), JsonToken.START_ARRAY);
        List<String> regions = new ArrayList<>(4);
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            expect(token, JsonToken.VALUE_STRING);
            String region = parser.getText();
            if (regions.size() == MAX_REGIONS || !isLabel(region, 0, region.length(), REGION_LENGTH, false)
                    || regions.contains(region)) {
                throw NOT_SURE;
            }
            regions.add(CanonicalStrings.canonical(region));
        }
        return regions;
    }

    private static String string(JsonParser parser) throws IOException {
        expect(parser.nextToken(), JsonToken.VALUE_STRING);
        return parser.getText();
    }

    private static void expect(JsonToken token, JsonToken expected) {
        if (token != expected) {
            throw NOT_SURE;
        }
    }

    /**
     * {@code ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$} (or with '.' inside when {@code dots}) over {@code [from, to)}, of at
     * most {@code maxLength} characters.
     */
    private static boolean isLabel(String value, int from, int to, int maxLength, boolean dots) {
        int length = to - from;
        if (length < 1 || length > maxLength || value.charAt(from) == '-' || value.charAt(to - 1) == '-') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (!isLower(c) && !isDigit(c) && c != '-' && !(dots && c == '.' && i != from && i != to - 1)) {
                return false;
            }
        }
        return true;
    }

    /** {@code ^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$} over {@code [from, to)}. */
    private static boolean isKeyName(String value, int from, int to) {
        if (to - from < 1 || !isAlphanumeric(value.charAt(from)) || !isAlphanumeric(value.charAt(to - 1))) {
            return false;
        }
        for (int i = from + 1; i < to - 1; i++) {
            char c = value.charAt(i);
            if (!isAlphanumeric(c) && c != '-' && c != '_' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** The annotations' {@code propertyNames}: an optional DNS-subdomain-like prefix and '/', then a key name. */
    private static boolean isAnnotationName(String name) {
        int length = name.length();
        if (length > CanonicalStrings.LONGEST_NAME) {
            return false;
        }
        int slash = name.indexOf('/');
        if (slash < 0) {
            return isKeyName(name, 0, length);
        }
        return isLabel(name, 0, slash, length, true) && isKeyName(name, slash + 1, length);
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlphanumeric(char c) {
        return isLower(c) || isDigit(c) || (c >= 'A' && c <= 'Z');
    }
}
