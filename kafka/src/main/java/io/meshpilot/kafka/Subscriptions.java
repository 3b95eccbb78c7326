package io.meshpilot.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ways a {@link RecordPoller} attaches to its topics. */
public final class Subscriptions {

    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);
    private static final Duration TOPIC_WAIT = Duration.ofSeconds(1);

    private Subscriptions() {
    }

    /**
     * Every partition of one topic, read from the beginning without a consumer group: for compacted topics whose
     * latest record per key is the state to converge to. Waits for the topic to exist.
     */
    public static Consumer<KafkaConsumer<String, byte[]>> wholeTopicFromBeginning(String topic) {
        return consumer -> {
            List<TopicPartition> partitions = awaitPartitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        };
    }

    /**
     * Topics matching a pattern, in the consumer's group, each assigned partition read from the beginning: the
     * partition's compacted state is rebuilt whenever this member takes it over.
     */
    public static Consumer<KafkaConsumer<String, byte[]>> patternFromBeginning(Pattern pattern,
            ConsumerRebalanceListener listener) {
        return consumer -> consumer.subscribe(pattern, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                consumer.seekToBeginning(partitions);
                listener.onPartitionsAssigned(partitions);
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                listener.onPartitionsRevoked(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                listener.onPartitionsLost(partitions);
            }
        });
    }

    private static void backOff() {
        try {
            Thread.sleep(TOPIC_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        }
    }

    /**
     * Topics matching a pattern, read from the beginning, with a consumer group of one member (per replica), for a
     * component that must see every record; needs {@code CooperativeStickyAssignor}, so a topic that appears later
     * adds its partitions without the others being read again.
     */
    public static Consumer<KafkaConsumer<String, byte[]>> everythingMatching(Pattern pattern) {
        return consumer -> consumer.subscribe(pattern, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                consumer.seekToBeginning(partitions);
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }
        });
    }

    private static List<TopicPartition> awaitPartitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        while (true) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(topic, TOPIC_WAIT);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // a busy broker (thousands of partitions being opened) answers metadata late: not a reason to stop
                partitions = null;
            }
            if (partitions != null && !partitions.isEmpty()) {
                return partitions.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            }
            LOG.atInfo().addKeyValue("topic", topic).log("waiting for topic to exist");
            backOff();
        }
    }
}
