package io.meshpilot.testing;

import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.MeshRecord;
import io.meshpilot.schemas.RecordCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its beginning, for assertions: each {@link #poll()} returns everything that arrived so far.
 * Not thread-safe; use it from the test thread, typically inside Awaitility's {@code untilAsserted}.
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    private boolean assigned;

    public TopicReader(String bootstrapServers, String topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    /** All records read so far, in the order they were read (per partition, log order). */
    public List<ConsumerRecord<String, byte[]>> poll() {
        if (!assigned) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (partitions == null || partitions.isEmpty()) {
                return List.copyOf(records);
            }
            List<TopicPartition> all = partitions.stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            assigned = true;
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return List.copyOf(records);
    }

    /** Everything in the topic as of this call: polls until the end of every partition is reached (30 s at most). */
    public List<ConsumerRecord<String, byte[]>> readToEnd() {
        poll();
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(10));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("did not reach the end of " + topic + " within 30 s");
            }
            poll();
        }
        return List.copyOf(records);
    }

    /** The valid documents of a kind read so far; tombstones and invalid records are left out. */
    public <T extends MeshRecord> List<T> documents(Class<T> kind) {
        List<T> documents = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : poll()) {
            if (record.value() != null
                    && RecordCodec.get().decode(record.value(), kind) instanceof Decoded.Valid<T> valid) {
                documents.add(valid.record());
            }
        }
        return documents;
    }

    /** The newest valid document of a kind under a key, if any. */
    public <T extends MeshRecord> Optional<T> latest(String key, Class<T> kind) {
        Optional<T> latest = Optional.empty();
        for (ConsumerRecord<String, byte[]> record : poll()) {
            if (key.equals(record.key())) {
                latest = record.value() == null ? Optional.empty()
                        : RecordCodec.get().decode(record.value(), kind) instanceof Decoded.Valid<T> valid
                                ? Optional.of(valid.record()) : latest;
            }
        }
        return latest;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
