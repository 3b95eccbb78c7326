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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the decisions topic as it grows (committed records only, from a few records before its end in each
 * partition), so every replica's live view shows every replica's decisions once they are published. No consumer
 * group: nothing is committed.
 */
final class DecisionTail {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionTail.class);
    static final int HISTORY_PER_PARTITION = 20;
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

    private DecisionTail() {
    }

    /**
     * Polls on its own thread, where it also checks and parses the Decisions (a Decision goes the codec's full way,
     * its JSON Schema; 10,000 Services deciding at once had this block the control plane's loop for seconds), and
     * hands each valid one, as compact JSON text, to {@code sink} on the event loop.
     */
    static RecordPoller start(Map<String, Object> consumerConfig, String topic, Context loop,
            Consumer<String> sink) {
        RecordCodec codec = RecordCodec.get();
        Map<String, Object> config = new java.util.HashMap<>(consumerConfig);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return new RecordPoller("ui-decisions", config, consumer -> fromNearTheEnd(consumer, topic),
                records -> {
                    List<String> decisions = new ArrayList<>();
                    for (ConsumerRecord<String, byte[]> record : records) {
                        if (record.value() != null
                                && codec.decode(record.value(), Decision.class) instanceof Decoded.Valid<Decision>) {
                            decisions.add(new JsonObject(Buffer.buffer(record.value())).encode());
                        }
                    }
                    return EventLoop.run(loop, () -> decisions.forEach(sink));
                }).start();
    }

    private static void fromNearTheEnd(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = partitions(consumer, topic);
        consumer.assign(partitions);
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions, METADATA_TIMEOUT);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, METADATA_TIMEOUT);
        partitions.forEach(partition -> consumer.seek(partition, Math.max(beginnings.get(partition),
                ends.get(partition) - HISTORY_PER_PARTITION)));
    }

    private static void backOff() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        }
    }

    /** The topic's partitions, once it exists (closing the poller wakes this up). */
    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        for (int attempt = 0; ; attempt++) {
            try {
                List<PartitionInfo> found = consumer.partitionsFor(topic, METADATA_TIMEOUT);
                if (found != null && !found.isEmpty()) {
                    return found.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                }
            } catch (TimeoutException e) {
                // not there yet
            }
            if (attempt == 0) {
                LOG.atInfo().addKeyValue("topic", topic).log("live view waiting for the decisions topic to exist");
            }
            backOff();
        }
    }
}
