package io.meshpilot.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The streaming path against the full JSON Schema validator, on documents of the four kinds it reads: each field of
 * each kind gets values on both sides of every rule of its schema (lengths at and past their limits, characters each
 * pattern allows and refuses, ranges at and past their bounds, numbers written as 1.0 or too big for a long, every
 * enum value and others, timestamps in and out of RFC 3339, nested objects with unknown, missing or duplicate fields,
 * arrays too long or repeating), a field may be missing or unknown, the fields come in any order, and the document
 * may be duplicated, trailed or wrapped. Whenever the streaming path answers with a record, the full path finds the
 * document valid and reads the same record; whatever the document, {@link RecordCodec#decode(byte[], Class)} answers
 * what the full path answers, errors included; and every document written the way meshpilot writes them takes the
 * streaming path.
 */
class StreamingDecoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<RecordKind> KINDS = List.of(RecordKind.SERVICE_HEALTH, RecordKind.AGENT_HEARTBEAT,
            RecordKind.SERVICE_DIRECTIVE, RecordKind.DIRECTIVE_STATUS);

    private final RecordCodec codec = RecordCodec.get();
    private final StreamingDecoder streaming = new StreamingDecoder(new JsonFactory());

    @Property(tries = 3000)
    void agreesWithTheJsonSchemaValidator(@ForAll("documents") Document document) {
        Class<? extends MeshRecord> recordClass = document.kind().recordClass();
        Decoded<? extends MeshRecord> full = codec.decodeFully(document.bytes(), recordClass);
        MeshRecord fast = streaming.decode(document.bytes(), document.kind());

        Statistics.label("outcome").collect(full instanceof Decoded.Valid ? "valid" : "invalid",
                fast == null ? "full way" : "streaming");
        if (fast != null) {
            assertThat(full).isEqualTo(new Decoded.Valid<>(fast));
        }
        assertThat(codec.decode(document.bytes(), recordClass)).isEqualTo(full);
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("valid", "streaming").percentage(share -> share > 10);
            coverage.check("invalid", "full way").percentage(share -> share > 30);
            coverage.check("valid", "full way").percentage(share -> share < 20);
        });
    }

    @Property(tries = 1000)
    void takesEveryDocumentMeshpilotWrites(@ForAll("written") MeshRecord record) {
        byte[] bytes = codec.encode(record);

        assertThat(streaming.decode(bytes, RecordKind.of(record.getClass()))).isEqualTo(record);
        assertThat(codec.decodeFully(bytes, record.getClass())).isEqualTo(new Decoded.Valid<>(record));
    }

    @Property(tries = 300)
    void givesTheKindsItDoesNotReadToTheFullWay(@ForAll("otherKinds") RecordKind kind) {
        assertThat(streaming.decode(codec.encode(RecordFuzzTest.sample(kind)), kind)).isNull();
    }

    @Provide
    Arbitrary<RecordKind> otherKinds() {
        return Arbitraries.of(RecordKind.class).filter(kind -> !StreamingDecoder.reads(kind));
    }

    /** A document and the kind it is read as. */
    record Document(RecordKind kind, byte[] bytes) {
        @Override
        public String toString() {
            return kind + ": " + new String(bytes, StandardCharsets.UTF_8);
        }
    }

    @Provide
    Arbitrary<Document> documents() {
        return Combinators.combine(Arbitraries.of(KINDS), Arbitraries.longs(), Arbitraries.integers().between(0, 99))
                .as((kind, seed, invalidShare) -> document(kind, new Random(seed), invalidShare));
    }

    /** Records the way meshpilot's agents and control plane write them. */
    @Provide
    Arbitrary<MeshRecord> written() {
        return Combinators.combine(Arbitraries.of(KINDS), Arbitraries.longs()).as((kind, seed) -> {
            Random random = new Random(seed);
            ObjectNode document = NODES.objectNode();
            fields(kind).forEach((name, field) -> {
                if (field.required() || random.nextBoolean()) {
                    document.set(name, field.valid(random));
                }
            });
            document.put("apiVersion", MeshRecord.API_VERSION).put("kind", kind.kindName());
            Decoded<? extends MeshRecord> decoded = codec.decodeFully(write(document), kind.recordClass());
            if (decoded instanceof Decoded.Valid<? extends MeshRecord> valid) {
                return valid.record();
            }
            throw new IllegalStateException("not valid: " + document + ": " + decoded);
        });
    }

    /**
     * A document of the kind: each field valid, or (with probability {@code invalidShare} in 1,000 per field) given a
     * value that may break its rule, or left out; now and then an unknown field, a field twice, or trailing bytes.
     */
    private static Document document(RecordKind kind, Random random, int invalidShare) {
        List<String> parts = new ArrayList<>();
        Map<String, Field> fields = new java.util.LinkedHashMap<>(fields(kind));
        fields.put("apiVersion", new Field(true, r -> NODES.textNode(MeshRecord.API_VERSION),
                r -> Values.pick(r, NODES.textNode("meshpilot.io/v2"), NODES.nullNode(), NODES.numberNode(1))));
        fields.put("kind", new Field(true, r -> NODES.textNode(kind.kindName()),
                r -> Values.pick(r, NODES.textNode("Decision"), NODES.textNode(kind.kindName().toLowerCase()))));
        fields.forEach((name, field) -> {
            boolean breakIt = random.nextInt(1000) < invalidShare * 2;
            if (breakIt && random.nextInt(4) == 0) {
                return;
            }
            if (!field.required() && random.nextInt(3) == 0) {
                return;
            }
            parts.add(member(name, breakIt ? field.invalid(random) : field.valid(random)));
        });
        if (random.nextInt(1000) < invalidShare) {
            parts.add(member(Values.pick(random, "unexpected", "Region", "endpoints", "region"),
                    Values.pick(random, NODES.textNode("us"), NODES.numberNode(1), NODES.objectNode())));
        }
        Collections.shuffle(parts, random);
        String body = "{" + String.join(",", parts) + "}";
        if (random.nextInt(1000) < invalidShare / 2) {
            body = Values.pick(random, body + "{}", body + " x", "[" + body + "]", body + "  \n", " " + body);
        }
        return new Document(kind, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String member(String name, JsonNode value) {
        return NODES.textNode(name) + ":" + value;
    }

    /** A field of a schema: whether it is required, and values that keep and that may break its rules. */
    record Field(boolean required, java.util.function.Function<Random, JsonNode> validValues,
            java.util.function.Function<Random, JsonNode> invalidValues) {

        JsonNode valid(Random random) {
            return validValues.apply(random);
        }

        JsonNode invalid(Random random) {
            return random.nextInt(4) == 0 ? Values.anything(random) : invalidValues.apply(random);
        }
    }

    private static Map<String, Field> fields(RecordKind kind) {
        Field region = new Field(true, r -> Values.label(r, 32, false), r -> Values.badLabel(r, 32, false));
        Field namespace = new Field(true, r -> Values.label(r, 63, false), r -> Values.badLabel(r, 63, false));
        Field service = new Field(true, r -> Values.label(r, 63, true), r -> Values.badLabel(r, 63, true));
        Field agentId = new Field(true, Values::agentId, Values::badAgentId);
        Field timestamp = new Field(true, Values::timestamp, Values::badTimestamp);
        Field count = new Field(true, r -> Values.integer(r, 0, 1_000_000), r -> Values.badInteger(r, 0, 1_000_000));
        Field version = new Field(true, r -> Values.integer(r, 1, Long.MAX_VALUE),
                r -> Values.badInteger(r, 1, Long.MAX_VALUE));
        Field bool = new Field(true, r -> NODES.booleanNode(r.nextBoolean()), Values::anything);
        return switch (kind) {
            case SERVICE_HEALTH -> Map.of("region", region, "namespace", namespace, "service", service,
                    "endpoints", new Field(true, Values::endpoints, Values::badEndpoints), "observedAt", timestamp,
                    "agentId", agentId, "exportable", optional(bool), "mcsApiExport", optional(bool));
            case AGENT_HEARTBEAT -> Map.of("region", region, "agentId", agentId, "version",
                    new Field(true, r -> Values.text(r, 1, 64), r -> Values.badText(r, 1, 64)), "sentAt", timestamp,
                    "servicesWatched", count, "leader", bool);
            case SERVICE_DIRECTIVE -> Map.of("region", region, "namespace", namespace, "service", service,
                    "version", version, "annotations", new Field(true, Values::annotations, Values::badAnnotations),
                    "reason", new Field(true, Values::reason, Values::badReason), "decidedAt", timestamp,
                    "state", optional(new Field(true, r -> Values.oneOf(r, "healthy", "degraded", "drained", "stale"),
                            r -> Values.badOneOf(r, "absent", "Healthy", "healthy "))),
                    "since", optional(timestamp),
                    "dependsOn", optional(new Field(true, Values::regions, Values::badRegions)));
            case DIRECTIVE_STATUS -> Map.of("region", region, "namespace", namespace, "service", service,
                    "version", version, "result", new Field(true, r -> Values.oneOf(r, "Applied", "Failed", "Rejected"),
                            r -> Values.badOneOf(r, "applied", "APPLIED", "Pending")),
                    "message", optional(new Field(true, r -> Values.text(r, 0, 4096), r -> Values.badText(r, 0, 4096))),
                    "observedAt", timestamp, "agentId", agentId);
            default -> throw new IllegalArgumentException(kind.toString());
        };
    }

    private static Field optional(Field field) {
        return new Field(false, field.validValues(), field.invalidValues());
    }

    /** Values on both sides of the schemas' rules. */
    static final class Values {

        private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
        private static final String DIGITS = "0123456789";
        private static final String NASTY = "-_.A/Z é\n\t\"\\*:\u0000";

        static <T> T pick(Random random, @SuppressWarnings("unchecked") T... choices) {
            return choices[random.nextInt(choices.length)];
        }

        static JsonNode anything(Random random) {
            return pick(random, NODES.nullNode(), NODES.booleanNode(true), NODES.numberNode(1), NODES.numberNode(-1),
                    NODES.numberNode(1.0), NODES.numberNode(2.5), NODES.textNode(""), NODES.textNode("1"),
                    NODES.textNode("true"), NODES.arrayNode(), NODES.objectNode(),
                    NODES.arrayNode().add("us"), NODES.objectNode().put("a", "b"));
        }

        private static String chars(Random random, String alphabet, int length) {
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return text.toString();
        }

        private static int length(Random random, int min, int max) {
            return switch (random.nextInt(4)) {
                case 0 -> min;
                case 1 -> max;
                default -> min + random.nextInt(Math.min(max, 40) - min + 1);
            };
        }

        /** A DNS-1123 label (or DNS-1035 with {@code letterFirst}) of at most {@code max} characters. */
        static JsonNode label(Random random, int max, boolean letterFirst) {
            int length = length(random, 1, max);
            String first = chars(random, letterFirst ? LOWER : LOWER + DIGITS, 1);
            if (length == 1) {
                return NODES.textNode(first);
            }
            return NODES.textNode(first + chars(random, LOWER + DIGITS + "--", length - 2)
                    + chars(random, LOWER + DIGITS, 1));
        }

        static JsonNode badLabel(Random random, int max, boolean letterFirst) {
            String valid = label(random, max, letterFirst).textValue();
            return NODES.textNode(switch (random.nextInt(7)) {
                case 0 -> "";
                case 1 -> valid + chars(random, LOWER, max + 1 - valid.length());
                case 2 -> "-" + valid;
                case 3 -> valid + "-";
                case 4 -> (letterFirst ? "1" : "") + valid;
                case 5 -> valid + "\n";
                default -> insert(random, valid, chars(random, NASTY, 1));
            });
        }

        private static String insert(Random random, String text, String inserted) {
            int at = random.nextInt(text.length() + 1);
            return text.substring(0, at) + inserted + text.substring(at);
        }

        static JsonNode agentId(Random random) {
            return agentId(random, 253);
        }

        static JsonNode agentId(Random random, int max) {
            int length = length(random, 1, max);
            String ends = LOWER + DIGITS + "ABCXYZ";
            if (length == 1) {
                return NODES.textNode(chars(random, ends, 1));
            }
            return NODES.textNode(chars(random, ends, 1) + chars(random, ends + "-_.", length - 2)
                    + chars(random, ends, 1));
        }

        static JsonNode badAgentId(Random random) {
            String valid = agentId(random).textValue();
            return NODES.textNode(switch (random.nextInt(6)) {
                case 0 -> "";
                case 1 -> valid + chars(random, LOWER, 254 - valid.length());
                case 2 -> pick(random, "-", "_", ".") + valid;
                case 3 -> valid + pick(random, "-", "_", ".", "\n");
                default -> insert(random, valid, chars(random, NASTY, 1));
            });
        }

        static JsonNode reason(Random random) {
            int length = length(random, 1, 64);
            return NODES.textNode(chars(random, LOWER, 1) + chars(random, LOWER + DIGITS + "-", length - 1));
        }

        static JsonNode badReason(Random random) {
            String valid = reason(random).textValue();
            return NODES.textNode(switch (random.nextInt(5)) {
                case 0 -> "";
                case 1 -> valid + chars(random, LOWER, 65 - valid.length());
                case 2 -> pick(random, "-", "1", "A") + valid;
                default -> insert(random, valid, chars(random, NASTY, 1));
            });
        }

        static JsonNode text(Random random, int min, int max) {
            int length = random.nextInt(8) == 0 ? max : min + random.nextInt(Math.min(max, 30) - min + 1);
            return NODES.textNode(chars(random, LOWER + NASTY, length) + (length < max - 1 && random.nextInt(5) == 0
                    ? "\uD83D\uDE00" : ""));
        }

        static JsonNode badText(Random random, int min, int max) {
            return NODES.textNode(random.nextBoolean() && min > 0 ? ""
                    : chars(random, LOWER, max + 1 - random.nextInt(2)) + pick(random, "", "\uD83D\uDE00"));
        }

        static JsonNode integer(Random random, long min, long max) {
            return NODES.numberNode(switch (random.nextInt(4)) {
                case 0 -> min;
                case 1 -> max;
                default -> min + random.nextInt((int) Math.min(max - min, 1_000_000));
            });
        }

        static JsonNode badInteger(Random random, long min, long max) {
            return switch (random.nextInt(6)) {
                case 0 -> NODES.numberNode(min - 1);
                case 1 -> max == Long.MAX_VALUE ? NODES.numberNode(new java.math.BigInteger("9223372036854775808"))
                        : NODES.numberNode(max + 1);
                case 2 -> NODES.numberNode((double) min + 1);
                case 3 -> NODES.numberNode(min + 0.5);
                case 4 -> NODES.textNode(Long.toString(min));
                default -> NODES.numberNode(Long.MIN_VALUE);
            };
        }

        static JsonNode timestamp(Random random) {
            Instant at = Instant.ofEpochSecond(random.nextLong(0, 253_402_300_799L), random.nextInt(1_000_000_000));
            if (random.nextBoolean()) {
                at = at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            }
            return NODES.textNode(at.toString());
        }

        static JsonNode badTimestamp(Random random) {
            String valid = timestamp(random).textValue();
            return NODES.textNode(switch (random.nextInt(12)) {
                case 0 -> valid.replace('T', 't');
                case 1 -> valid.replace("Z", "z");
                case 2 -> valid.replace("Z", "+01:00");
                case 3 -> valid.replace("Z", "");
                case 4 -> "2026-02-30T12:00:00Z";
                case 5 -> "2026-12-31T23:59:60Z";
                case 6 -> "2026-11-25T24:00:00Z";
                case 7 -> "2026-11-25T12:00Z";
                case 8 -> "2026-11-25T12:00:00.1234567890Z";
                case 9 -> "0000-01-01T00:00:00Z";
                case 10 -> "2026-11-25 12:00:00Z";
                default -> valid.replace("Z", ".Z").replace("..", ".");
            });
        }

        static JsonNode oneOf(Random random, String... values) {
            return NODES.textNode(pick(random, values));
        }

        static JsonNode badOneOf(Random random, String... values) {
            return NODES.textNode(pick(random, values));
        }

        static JsonNode endpoints(Random random) {
            ObjectNode counts = NODES.objectNode();
            for (String name : List.of("ready", "serving", "terminating", "active", "total")) {
                counts.set(name, integer(random, 0, 1_000_000));
            }
            for (String name : List.of("fallback", "exported")) {
                if (random.nextBoolean()) {
                    counts.set(name, integer(random, 0, 1_000_000));
                }
            }
            return counts;
        }

        static JsonNode badEndpoints(Random random) {
            ObjectNode counts = (ObjectNode) endpoints(random);
            List<String> names = new ArrayList<>();
            counts.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(3)) {
                case 0 -> counts.remove(name);
                case 1 -> counts.set(name, random.nextBoolean() ? badInteger(random, 0, 1_000_000) : anything(random));
                default -> counts.put("unexpected", 1);
            }
            return counts;
        }

        static JsonNode annotationName(Random random) {
            String name = agentId(random, 60).textValue();
            return NODES.textNode(switch (random.nextInt(4)) {
                case 0 -> name;
                case 1 -> pick(random, "service.cilium.io/global", "service.cilium.io/shared",
                        "service.cilium.io/affinity", "meshpilot.io/directive-version", "io.cilium/global-service");
                default -> label(random, 40, false).textValue() + pick(random, ".io", ".cilium.io", "") + "/" + name;
            });
        }

        static JsonNode annotations(Random random) {
            ObjectNode annotations = NODES.objectNode();
            int size = random.nextInt(6) == 0 ? 16 : random.nextInt(4);
            while (annotations.size() < size) {
                annotations.set(annotationName(random).textValue(),
                        random.nextInt(10) == 0 ? NODES.textNode(chars(random, LOWER, 256)) : text(random, 0, 20));
            }
            return annotations;
        }

        static JsonNode badAnnotations(Random random) {
            ObjectNode annotations = (ObjectNode) annotations(random);
            switch (random.nextInt(5)) {
                case 0 -> {
                    while (annotations.size() < 17) {
                        annotations.put(annotationName(random).textValue() + annotations.size(), "x");
                    }
                }
                case 1 -> annotations.put(pick(random, "", "-a", "a-", "Service.cilium.io/x", "a//b", ".a/b", "a./b",
                        "a/b/c", "a b", "/b", "a/", chars(random, LOWER, 254)), "x");
                case 2 -> annotations.set("service.cilium.io/global", anything(random));
                case 3 -> annotations.put("service.cilium.io/global", chars(random, LOWER, 257));
                default -> {
                    return anything(random);
                }
            }
            return annotations;
        }

        static JsonNode regions(Random random) {
            ArrayNode regions = NODES.arrayNode();
            int size = random.nextInt(4);
            List<String> names = new ArrayList<>();
            while (names.size() < size) {
                String region = label(random, 32, false).textValue();
                if (!names.contains(region)) {
                    names.add(region);
                    regions.add(region);
                }
            }
            return regions;
        }

        static JsonNode badRegions(Random random) {
            ArrayNode regions = (ArrayNode) regions(random);
            switch (random.nextInt(4)) {
                case 0 -> regions.add("us").add("us");
                case 1 -> regions.add(badLabel(random, 32, false));
                case 2 -> {
                    for (int i = 0; regions.size() < 512; i++) {
                        regions.add("r" + i);
                    }
                }
                default -> regions.add(anything(random));
            }
            return regions;
        }
    }

    private static byte[] write(JsonNode document) {
        try {
            return JSON.writeValueAsBytes(document);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
