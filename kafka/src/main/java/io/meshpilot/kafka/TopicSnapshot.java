package io.meshpilot.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a compacted topic once, from its beginning to its current end, without a consumer group. Blocking. */
public final class TopicSnapshot {

    private TopicSnapshot() {
    }

    /** The keys whose latest record is not a tombstone. */
    public static Set<String> liveKeys(Map<String, Object> consumerConfig, String topic, Duration timeout) {
        return latest(consumerConfig, topic, timeout).keySet();
    }

    /** The latest record of every key that is not a tombstone, by key. */
    public static Map<String, ConsumerRecord<String, byte[]>> latest(Map<String, Object> consumerConfig, String topic,
            Duration timeout) {
        Map<String, ConsumerRecord<String, byte[]>> live = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
            List<TopicPartition> partitions = Optional.ofNullable(consumer.partitionsFor(topic, timeout))
                    .orElse(List.of()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Instant deadline = Instant.now().plus(timeout);
            while (!reached(consumer, end)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("reading " + topic + " took over " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        live.remove(record.key());
                    } else {
                        live.put(record.key(), record);
                    }
                }
            }
        }
        return live;
    }

    private static boolean reached(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(partition -> consumer.position(partition.getKey())
                >= partition.getValue());
    }
}
