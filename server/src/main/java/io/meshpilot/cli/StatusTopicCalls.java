package io.meshpilot.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/** The Kafka calls the commands that write a record and wait for its status share, each bounded by one timeout. */
public final class StatusTopicCalls {

    public static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    private StatusTopicCalls() {
    }

    /** Every partition of the topic; a missing topic is an error that says how to create it. */
    public static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        var infos = consumer.partitionsFor(topic, KAFKA_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist; create the topics with "
                    + "'meshpilot topics create'");
        }
        return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    }

    /** Waits for a record to be written. */
    public static RecordMetadata written(Future<RecordMetadata> sent) {
        try {
            return sent.get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write to Kafka: " + e.getMessage(), e);
        }
    }
}
