package io.meshpilot.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
                seekToBeginning(consumer, partitions);
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

    /**
     * Seeks these partitions, and only these, to the beginning: {@code KafkaConsumer.seekToBeginning} given none
     * seeks every partition assigned, and a cooperative rebalance that adds nothing calls back with none.
     */
    private static void seekToBeginning(KafkaConsumer<String, byte[]> consumer,
            Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            consumer.seekToBeginning(partitions);
        }
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
     * adds its partitions without the others being read again. A partition revoked or lost and assigned again (the
     * group coordinator restarted, the member timed out) is read on from where this consumer was, not from the
     * beginning: a re-read would replay every record's history into state that is further on, and decisions taken
     * meanwhile would see a world gone back in time.
     */
    public static Consumer<KafkaConsumer<String, byte[]>> everythingMatching(Pattern pattern) {
        return consumer -> consumer.subscribe(pattern, new ResumingListener(consumer));
    }

    /** Seeks each assigned partition to where this consumer left it, or to the beginning the first time. */
    private static final class ResumingListener implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Map<TopicPartition, Long> leftAt = new HashMap<>();

        ResumingListener(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            List<TopicPartition> fresh = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                Long offset = leftAt.remove(partition);
                if (offset == null) {
                    fresh.add(partition);
                } else {
                    consumer.seek(partition, offset);
                }
            }
            seekToBeginning(consumer, fresh);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            remember(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            remember(partitions);
        }

        private void remember(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                try {
                    leftAt.put(partition, consumer.position(partition, Duration.ZERO));
                } catch (org.apache.kafka.common.errors.TimeoutException | IllegalStateException e) {
                    // no position yet (nothing read since the seek to the beginning): read it from the beginning
                }
            }
        }
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
