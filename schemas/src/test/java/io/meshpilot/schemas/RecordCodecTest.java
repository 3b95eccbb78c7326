package io.meshpilot.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RecordCodecTest {

    private static final String HEALTH = """
            {"apiVersion":"meshpilot.io/v1","kind":"ServiceHealth","region":"us","namespace":"default",
             "service":"hello-world","endpoints":{"ready":2,"serving":2,"terminating":0,"active":2,"total":2},
             "observedAt":"2026-11-25T16:40:00Z","agentId":"agent-us-0"}""";

    private final RecordCodec codec = RecordCodec.get();

    static Stream<MeshRecord> everyKind() {
        return Samples.all().stream();
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void roundTripsEveryKind(MeshRecord record) {
        byte[] bytes = codec.encode(record);

        assertThat(codec.decode(bytes, record.getClass())).isEqualTo(new Decoded.Valid<>(record));
    }

    @Test
    void recordsOfTheSameServiceShareTheirNamesAndAnnotationsInsteadOfCopies() {
        ServiceHealth first = valid(codec.decode(HEALTH.getBytes(StandardCharsets.UTF_8), ServiceHealth.class));
        ServiceHealth second = valid(codec.decode(HEALTH.getBytes(StandardCharsets.UTF_8), ServiceHealth.class));
        ServiceDirective directive = valid(codec.decode(codec.encode(new ServiceDirective("us", "default",
                "hello-world", 3, java.util.Map.of("service.cilium.io/global", "true"), "local-healthy",
                java.time.Instant.parse("2026-11-25T16:40:00Z"))), ServiceDirective.class));

        assertThat(second.service()).isSameAs(first.service()).isSameAs(directive.service());
        assertThat(second.agentId()).isSameAs(first.agentId());
        assertThat(directive.annotations().keySet().iterator().next()).isSameAs("service.cilium.io/global");
    }

    private static <T extends MeshRecord> T valid(Decoded<T> decoded) {
        assertThat(decoded).isInstanceOf(Decoded.Valid.class);
        return ((Decoded.Valid<T>) decoded).record();
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void writesApiVersionAndKindFirst(MeshRecord record) {
        String json = new String(codec.encode(record), StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"apiVersion\":\"meshpilot.io/v1\",\"kind\":\""
                + RecordKind.of(record.getClass()).kindName() + "\",");
    }

    @Test
    void acceptsAHandWrittenDocument() {
        assertThat(decodeHealth(HEALTH)).isInstanceOf(Decoded.Valid.class);
    }

    @Test
    void readsAnOlderAgentsHealthWithCiliumsDefaultsForTheNewFields() {
        ServiceHealth health = valid(decodeHealth(HEALTH));

        assertThat(health.endpoints()).isEqualTo(new EndpointCounts(2, 2, 0, 2, 0, 2, 2));
        assertThat(health.exportable()).isTrue();
        assertThat(health.mcsApiExport()).isFalse();
    }

    @Test
    void roundTripsTheExportViewsOfHealth() {
        ServiceHealth health = new ServiceHealth("us", "default", "hello-world",
                new EndpointCounts(1, 3, 2, 1, 1, 3, 4), Samples.AT, "agent-us-0", false, true);

        assertThat(codec.decode(codec.encode(health), ServiceHealth.class)).isEqualTo(new Decoded.Valid<>(health));
    }

    @Test
    void rejectsBytesThatAreNotJson() {
        assertThat(errorsOf(decodeHealth("{\"apiVersion\": meshpilot"))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("$");
            assertThat(error.problem()).startsWith("is not valid JSON: Unrecognized token 'meshpilot'")
                    .endsWith("at line 1, column 16");
        });
        assertThat(errorsOf(decodeHealth(""))).containsExactly(
                new FieldError("$", "is empty, expected a JSON object"));
        assertThat(errorsOf(decodeHealth("[]"))).containsExactly(
                new FieldError("$", "must be a JSON object, found array"));
    }

    @Test
    void rejectsTrailingGarbageAndDuplicateFields() {
        assertThat(errorsOf(decodeHealth(HEALTH + " {}"))).singleElement()
                .satisfies(error -> assertThat(error.problem()).startsWith("is not valid JSON"));
        assertThat(errorsOf(decodeHealth(HEALTH.replace("\"region\":\"us\"", "\"region\":\"us\",\"region\":\"eu\""))))
                .singleElement().satisfies(error -> assertThat(error.problem()).contains("Duplicate field 'region'"));
    }

    @Test
    void rejectsAWrongKindNamingWhatWasExpected() {
        assertThat(errorsOf(decodeHealth(HEALTH.replace("\"ServiceHealth\"", "\"ServiceDirective\""))))
                .containsExactly(new FieldError("kind", "must be \"ServiceHealth\", found \"ServiceDirective\""));
        assertThat(errorsOf(decodeHealth(HEALTH.replace("\"kind\":\"ServiceHealth\",", ""))))
                .containsExactly(new FieldError("kind", "is required (expected \"ServiceHealth\")"));
    }

    @Test
    void rejectsAWrongApiVersion() {
        assertThat(errorsOf(decodeHealth(HEALTH.replace("meshpilot.io/v1", "meshpilot.io/v2"))))
                .containsExactly(new FieldError("apiVersion", "must be \"meshpilot.io/v1\", found \"meshpilot.io/v2\""));
        assertThat(errorsOf(decodeHealth(HEALTH.replace("\"meshpilot.io/v1\"", "1"))))
                .containsExactly(new FieldError("apiVersion", "must be \"meshpilot.io/v1\", found 1"));
    }

    @Test
    void namesAMissingFieldAtItsPath() {
        assertThat(errorsOf(decodeHealth(HEALTH.replace("\"ready\":2,", ""))))
                .containsExactly(new FieldError("endpoints.ready", "is required"));
        assertThat(errorsOf(decodeHealth(HEALTH.replace(",\"agentId\":\"agent-us-0\"", ""))))
                .containsExactly(new FieldError("agentId", "is required"));
    }

    @Test
    void namesAWrongType() {
        assertThat(errorsOf(decodeHealth(HEALTH.replace("\"ready\":2", "\"ready\":\"2\""))))
                .containsExactly(new FieldError("endpoints.ready", "must be of type integer, found string"));
    }

    @Test
    void rejectsAnInvalidRegionName() {
        assertThat(errorsOf(decodeHealth(HEALTH.replace("\"us\"", "\"US_east\"")))).containsExactly(
                new FieldError("region", "must be a DNS-1123 label (lowercase letters, digits and '-', starting and "
                        + "ending with a letter or digit)"));
        assertThat(errorsOf(decodeHealth(HEALTH.replace("\"us\"", "\"" + "a".repeat(33) + "\""))))
                .containsExactly(new FieldError("region", "must be at most 32 characters long"));
    }

    @Test
    void rejectsAnInvalidNamespaceName() {
        assertThat(errorsOf(decodeHealth(HEALTH.replace("\"default\"", "\"-default\"")))).containsExactly(
                new FieldError("namespace", "must be a DNS-1123 label (lowercase letters, digits and '-', starting "
                        + "and ending with a letter or digit)"));
    }

    @Test
    void rejectsUnknownFields() {
        assertThat(errorsOf(decodeHealth(HEALTH.replace("{\"apiVersion\"", "{\"color\":\"red\",\"apiVersion\""))))
                .containsExactly(new FieldError("color", "is not a known field"));
    }

    @Test
    void rejectsADocumentOverOneMebibyteBeforeParsingIt() {
        byte[] huge = new byte[RecordCodec.MAX_DOCUMENT_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');

        assertThat(errorsOf(codec.decode(huge, ServiceHealth.class))).containsExactly(
                new FieldError("$", "is 1048577 bytes, over the limit of 1048576 bytes (1 MiB)"));
    }

    @Test
    void rejectsAValueOverItsFieldLimit() {
        String longMessage = "x".repeat(4097);
        String status = new String(codec.encode(Samples.status()), StandardCharsets.UTF_8)
                .replace("annotation foo is not owned by meshpilot", longMessage);

        assertThat(errorsOf(codec.decode(status.getBytes(StandardCharsets.UTF_8), DirectiveStatus.class)))
                .containsExactly(new FieldError("message", "must be at most 4,096 characters long"));
    }

    @Test
    void reportsEveryProblemSortedByField() {
        String bad = HEALTH.replace("\"us\"", "\"US\"").replace("\"ready\":2", "\"ready\":-1")
                .replace("2026-11-25T16:40:00Z", "yesterday");

        assertThat(errorsOf(decodeHealth(bad))).extracting(FieldError::field)
                .containsExactly("endpoints.ready", "observedAt", "region");
    }

    @Test
    void explainsAnInvalidTimestamp() {
        assertThat(errorsOf(decodeHealth(HEALTH.replace("2026-11-25T16:40:00Z", "yesterday")))).containsExactly(
                new FieldError("observedAt", "must be a valid date-time (RFC 3339, e.g. 2026-11-25T16:40:00Z)"));
    }

    @Test
    void neverThrowsOnANullDocument() {
        assertThat(errorsOf(codec.decode((byte[]) null, ServiceHealth.class))).containsExactly(
                new FieldError("$", "is missing (a tombstone has no document)"));
    }

    @Test
    void rejectsDeeplyNestedDocumentsWithoutThrowing() {
        String nested = "[".repeat(100_000) + "]".repeat(100_000);

        assertThat(errorsOf(decodeHealth(nested))).singleElement()
                .satisfies(error -> assertThat(error.field()).isEqualTo("$"));
    }

    @Test
    void summarisesAllErrorsOnOneLine() {
        Decoded.Invalid<ServiceHealth> invalid = new Decoded.Invalid<>(List.of(
                new FieldError("region", "is required"), new FieldError("endpoints.ready", "is required")));

        assertThat(invalid.summary()).isEqualTo("region: is required; endpoints.ready: is required");
    }

    private Decoded<ServiceHealth> decodeHealth(String json) {
        return codec.decode(json.getBytes(StandardCharsets.UTF_8), ServiceHealth.class);
    }

    private static List<FieldError> errorsOf(Decoded<?> decoded) {
        assertThat(decoded).isInstanceOf(Decoded.Invalid.class);
        return ((Decoded.Invalid<?>) decoded).errors();
    }
}
