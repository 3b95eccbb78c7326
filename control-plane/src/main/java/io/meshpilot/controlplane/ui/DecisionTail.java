package io.meshpilot.controlplane.ui;

import io.meshpilot.kafka.RecordPoller;
import io.meshpilot.runtime.EventLoop;
import io.meshpilot.schemas.Decision;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.RecordCodec;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the decisions topic as it grows (committed records only, from a few records before its end in each
 * partition), so every replica's live view shows every replica's decisions once they are published. No consumer
 * group: nothing is committed.
 */
final class DecisionTail {

    static final int HISTORY_PER_PARTITION = 20;
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

    private DecisionTail() {
    }

    /** Polls on its own thread; hands each valid Decision, as JSON, to {@code sink} on the event loop. */
    static RecordPoller start(Map<String, Object> consumerConfig, String topic, Context loop,
            Consumer<JsonObject> sink) {
        RecordCodec codec = RecordCodec.get();
        return new RecordPoller("ui-decisions", consumerConfig, consumer -> fromNearTheEnd(consumer, topic),
                records -> EventLoop.run(loop, () -> {
                    for (ConsumerRecord<String, byte[]> record : records) {
                        if (record.value() != null
                                && codec.decode(record.value(), Decision.class) instanceof Decoded.Valid<Decision>) {
                            sink.accept(new JsonObject(Buffer.buffer(record.value())));
                        }
                    }
                })).start();
    }

    private static void fromNearTheEnd(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = Objects.requireNonNullElse(consumer.partitionsFor(topic, METADATA_TIMEOUT),
                List.<org.apache.kafka.common.PartitionInfo>of()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions, METADATA_TIMEOUT);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, METADATA_TIMEOUT);
        partitions.forEach(partition -> consumer.seek(partition, Math.max(beginnings.get(partition),
                ends.get(partition) - HISTORY_PER_PARTITION)));
    }
}
