package io.meshpilot.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing the codec with every record kind: arbitrary bytes, and near-valid documents (a valid one with a field
 * removed, retyped, replaced by a random value, an unknown field added, or its bytes truncated or flipped). Whatever
 * comes in, decoding returns: a record that encodes back to an equal record, or errors that each name a field and a
 * problem. It never throws.
 */
class RecordFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final RecordCodec codec = RecordCodec.get();

    @Property(tries = 300)
    void arbitraryBytesAreRejectedWithReasonsForEveryKind(@ForAll("kinds") RecordKind kind, @ForAll byte[] bytes) {
        assertDecodesOrExplains(kind, bytes);
    }

    @Property(tries = 1000)
    void nearValidDocumentsAreDecodedOrRejectedWithReasons(@ForAll("nearValid") Mutated mutated) {
        assertDecodesOrExplains(mutated.kind(), mutated.bytes());
    }

    private void assertDecodesOrExplains(RecordKind kind, byte[] bytes) {
        Decoded<? extends MeshRecord> decoded = codec.decode(bytes, kind.recordClass());

        if (decoded instanceof Decoded.Valid<? extends MeshRecord> valid) {
            assertThat(codec.decode(codec.encode(valid.record()), kind.recordClass())).isEqualTo(decoded);
        } else {
            assertThat(((Decoded.Invalid<?>) decoded).errors()).isNotEmpty().allSatisfy(error -> {
                assertThat(error.field()).isNotBlank();
                assertThat(error.problem()).isNotBlank();
            });
        }
    }

    /** A document of a kind after one mutation. */
    record Mutated(RecordKind kind, String mutation, byte[] bytes) {
        @Override
        public String toString() {
            return kind + " " + mutation + ": " + new String(bytes, StandardCharsets.UTF_8);
        }
    }

    @Provide
    Arbitrary<RecordKind> kinds() {
        return Arbitraries.of(RecordKind.class);
    }

    @Provide
    Arbitrary<Mutated> nearValid() {
        Arbitrary<RecordKind> kinds = kinds();
        Arbitrary<Integer> positions = Arbitraries.integers().between(0, 10_000);
        Arbitrary<JsonNode> values = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40).map(NODES::textNode),
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.just(NODES.arrayNode()),
                Arbitraries.just(NODES.objectNode()),
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz-/*").ofMaxLength(70).map(NODES::textNode));
        Arbitrary<String> mutations = Arbitraries.of("remove", "replace", "add", "truncate", "flip", "nest");
        return Combinators.combine(kinds, mutations, positions, values).as(this::mutate);
    }

    private Mutated mutate(RecordKind kind, String mutation, int position, JsonNode value) {
        ObjectNode document = codec.toTree(sample(kind));
        List<String> fields = new ArrayList<>();
        document.fieldNames().forEachRemaining(fields::add);
        String field = fields.get(position % fields.size());
        byte[] bytes;
        switch (mutation) {
            case "remove" -> document.remove(field);
            case "replace" -> document.set(field, value);
            case "add" -> document.set("unexpected" + position % 3, value);
            case "nest" -> nestInto(document, position, value);
            default -> {
            }
        }
        bytes = write(document);
        if (mutation.equals("truncate")) {
            bytes = Arrays.copyOf(bytes, position % bytes.length);
        } else if (mutation.equals("flip")) {
            bytes[position % bytes.length] ^= (byte) (1 + position % 127);
        }
        return new Mutated(kind, mutation + " " + field, bytes);
    }

    /** Replaces something inside a nested object or array (endpoints, annotations, regions, errors, lists). */
    private static void nestInto(ObjectNode document, int position, JsonNode value) {
        document.properties().stream().map(Map.Entry::getValue).filter(JsonNode::isContainerNode).findFirst()
                .ifPresent(container -> {
                    if (container instanceof ObjectNode object) {
                        List<String> names = new ArrayList<>();
                        object.fieldNames().forEachRemaining(names::add);
                        object.set(names.isEmpty() ? "x" : names.get(position % names.size()), value);
                    } else if (container instanceof ArrayNode array) {
                        array.add(value);
                    }
                });
    }

    private static byte[] write(JsonNode document) {
        try {
            return JSON.writeValueAsBytes(document);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One valid record of each kind. */
    static MeshRecord sample(RecordKind kind) {
        Instant at = Instant.parse("2026-11-25T12:00:00Z");
        EndpointCounts endpoints = new EndpointCounts(2, 2, 0, 2, 2);
        Map<String, String> annotations = Map.of("service.cilium.io/global", "true",
                "service.cilium.io/affinity", "local");
        return switch (kind) {
            case SERVICE_HEALTH -> new ServiceHealth("us", "default", "hello-world", endpoints, at, "agent-us-0");
            case AGENT_HEARTBEAT -> new AgentHeartbeat("us", "agent-us-0", "0.1.0", at, 3, true);
            case SERVICE_DIRECTIVE -> new ServiceDirective("us", "default", "hello-world", 7, annotations,
                    "local-healthy", at);
            case DIRECTIVE_STATUS -> new DirectiveStatus("us", "default", "hello-world", 7,
                    DirectiveStatus.Result.APPLIED, "applied", at, "agent-us-0");
            case TRAFFIC_POLICY -> new TrafficPolicy("default/*", PolicyMode.AUTO, 1, 0.5, 0, 30, 15,
                    List.of("eu", "us"), 2, List.of("ap"));
            case POLICY_STATUS -> new PolicyStatus("default/*", false, List.of(new FieldError("mode", "unknown")), 0,
                    12, at);
            case DECISION -> new Decision("default", "hello-world", at, "*", PolicyMode.AUTO, false,
                    List.of(new Decision.RegionDecision("us", endpoints, at, "healthy", false, annotations,
                            "local-healthy", 7)));
            case PRACTICE_RUN -> new PracticeRun("drill-1", "us", at, 60, List.of("default/*"), "08:00-18:00",
                    "Europe/Berlin");
            case PRACTICE_RUN_STATUS -> new PracticeRunStatus("drill-1", "us", "completed", null, null, null, 0, 3,
                    null, at, at.plusSeconds(60), at.plusSeconds(60), at.plusSeconds(62), 1.5, 2.0, List.of(
                            new PracticeRunStatus.ServiceReport("default", "hello-world", List.of(
                                    new PracticeRunStatus.RegionTime("us", 8, at.plusSeconds(1), 1.0)), List.of(
                                    new PracticeRunStatus.RegionTime("us", 9, at.plusSeconds(62), 2.0)), null)),
                    at.plusSeconds(62));
        };
    }
}
