package io.meshpilot.reliability.faults;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Malformed records of every sort, written straight to a topic as a broken or hostile client would: random bytes,
 * text that is not JSON, JSON of the wrong kind or version, documents with fields missing or of the wrong type,
 * documents naming another region, and keys that are not {@code namespace/name}, some aimed at real Services.
 */
final class Garbage {

    private static final List<String> SHAPES = List.of(
            "{\"kind\":\"ServiceHealth\"",
            "not json at all",
            "{\"apiVersion\":\"meshpilot.io/v1\",\"kind\":\"Nonsense\"}",
            "{\"apiVersion\":\"meshpilot.io/v9\",\"kind\":\"ServiceHealth\"}",
            "{\"apiVersion\":\"meshpilot.io/v1\",\"kind\":\"ServiceHealth\",\"region\":\"us\"}",
            "{\"apiVersion\":\"meshpilot.io/v1\",\"kind\":\"ServiceDirective\",\"region\":\"us\",\"namespace\":\"shop\","
                    + "\"service\":\"svc-000\",\"version\":\"seven\",\"annotations\":{},\"reason\":\"x\","
                    + "\"decidedAt\":\"yesterday\"}",
            "{\"apiVersion\":\"meshpilot.io/v1\",\"kind\":\"TrafficPolicy\",\"mode\":\"sideways\"}",
            "[1,2,3]",
            "null",
            "");

    private Garbage() {
    }

    /** Writes {@code count} malformed records to a topic; returns once Kafka has them all. */
    static void flood(String bootstrapServers, String topic, int count, long seed) {
        Random random = new Random(seed);
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, key(random, i), value(random, i))));
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot write garbage to " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String key(Random random, int index) {
        return switch (index % 4) {
            case 0 -> Fleet.NAMESPACE + "/" + Fleet.name(random.nextInt(Scenario.SERVICES));
            case 1 -> "no-slash-" + index;
            case 2 -> "";
            default -> "Bad_Namespace/" + index;
        };
    }

    private static byte[] value(Random random, int index) {
        if (index % 3 == 0) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            return bytes;
        }
        return SHAPES.get(random.nextInt(SHAPES.size())).getBytes(StandardCharsets.UTF_8);
    }
}
