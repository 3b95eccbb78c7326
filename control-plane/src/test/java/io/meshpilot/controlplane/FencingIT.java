package io.meshpilot.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.TopicReader;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceDirective;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 4, point 3: the fencing the ownership loop relies on, shown with its own client settings. A replica that
 * lost its partitions in a rebalance (a zombie: paused past its poll interval, cut off) still holds its old group
 * generation; the transaction it sends with its offsets cannot commit, and the directive it carries is never seen by
 * an agent, which reads committed records only.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FencingIT {

    @Test
    void aReplicaThatLostItsPartitionsCannotPublishADirectiveAnAgentWouldRead(EmbeddedKafkaBroker kafka,
            Topics topics) throws Exception {
        try (Regions regions = new Regions(kafka, topics, "us")) {
            KafkaSettings settings = regions.settings;
            String group = topics.prefix() + ".control-plane";
            Pattern health = topics.regionTopicPattern(Topics.RegionRole.HEALTH);
            try (KafkaConsumer<String, byte[]> zombie = member(settings, group, "zombie");
                 KafkaProducer<String, byte[]> zombieProducer = transactional(settings, "zombie")) {
                zombie.subscribe(health);
                await().atMost(Regions.WAIT).until(() -> {
                    zombie.poll(Duration.ofMillis(100));
                    return zombie.assignment().size() == 2;
                });
                ConsumerGroupMetadata oldGeneration = zombie.groupMetadata();
                Map<TopicPartition, OffsetAndMetadata> offsets = positions(zombie);

                try (KafkaConsumer<String, byte[]> successor = member(settings, group, "successor")) {
                    successor.subscribe(health);
                    await().atMost(Regions.WAIT).until(() -> {
                        successor.poll(Duration.ofMillis(100));
                        return !successor.assignment().isEmpty();
                    });

                    zombieProducer.beginTransaction();
                    zombieProducer.send(new ProducerRecord<>(topics.directives("us"), 0, Regions.KEY,
                            "zombie".getBytes()));
                    assertThatThrownBy(() -> {
                        zombieProducer.sendOffsetsToTransaction(offsets, oldGeneration);
                        zombieProducer.commitTransaction();
                    }).isInstanceOf(KafkaException.class);
                    zombieProducer.abortTransaction();
                }
            }
            try (TopicReader directives = new TopicReader(kafka.bootstrapServers(), topics.directives("us"))) {
                assertThat(directives.poll()).as("read_committed, as agents read").isEmpty();
            }
        }
    }

    /**
     * A replica given a partition decides only once every transaction open on it has ended: a previous owner's commit
     * whose markers are still being written (right after a broker restart) carries directives the new owner must read
     * before it picks the Service's next version, or it publishes a version they had (seen in the fault suite).
     */
    @Test
    void aReplicaGivenAPartitionDecidesOnlyAfterTheTransactionsOpenOnItEnd(EmbeddedKafkaBroker kafka, Topics topics)
            throws Exception {
        try (Regions regions = new Regions(kafka, topics, "us")) {
            String other = serviceInTheOtherPartition();
            regions.heartbeats("us");
            regions.health("us", Regions.READY);
            regions.health("us", other, Regions.READY);
            try (KafkaProducer<String, byte[]> previousOwner = transactional(regions.settings, "previous-owner")) {
                previousOwner.beginTransaction();
                ServiceDirective open = new ServiceDirective("us", "default", "hello-world", 7,
                        Map.of("service.cilium.io/global", "true", "service.cilium.io/shared", "false"),
                        "local-degraded", Instant.now());
                previousOwner.send(new ProducerRecord<>(topics.directives("us"), partitionOf(Regions.KEY),
                        Regions.KEY, RecordCodec.get().encode(open))).get(30, TimeUnit.SECONDS);
                TopicReader directives = regions.reader(topics.directives("us"));
                regions.startControlPlane("successor");
                await("the successor to decide for the partition without an open transaction").atMost(Regions.WAIT)
                        .until(() -> directives.latest("default/" + other, ServiceDirective.class).isPresent());

                previousOwner.commitTransaction();
            }

            try (TopicReader directives = new TopicReader(kafka.bootstrapServers(), topics.directives("us"))) {
                List<Long> versions = new ArrayList<>();
                await("the successor to decide hello-world after the open transaction").atMost(Regions.WAIT)
                        .untilAsserted(() -> {
                            versions.clear();
                            directives.documents(ServiceDirective.class).stream()
                                    .filter(directive -> directive.service().equals("hello-world"))
                                    .forEach(directive -> versions.add(directive.version()));
                            assertThat(versions).hasSizeGreaterThanOrEqualTo(2);
                        });
                assertThat(versions).as("hello-world's directive versions in us, in the order published")
                        .startsWith(7L, 8L).isSorted().doesNotHaveDuplicates();
            }
        }
    }

    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 2;
    }

    private static String serviceInTheOtherPartition() {
        for (int i = 0; ; i++) {
            if (partitionOf("default/other-" + i) != partitionOf(Regions.KEY)) {
                return "other-" + i;
            }
        }
    }

    private static KafkaConsumer<String, byte[]> member(KafkaSettings settings, String group, String id) {
        Map<String, Object> config = new HashMap<>(settings.consumer(id, Optional.of(group)));
        config.put("partition.assignment.strategy", RangeAssignor.class.getName());
        config.put("max.poll.interval.ms", 2000);
        return new KafkaConsumer<>(config);
    }

    private static KafkaProducer<String, byte[]> transactional(KafkaSettings settings, String id) {
        Map<String, Object> config = new HashMap<>(settings.producer(id));
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "fencing-test-" + id);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config);
        producer.initTransactions();
        return producer;
    }

    private static Map<TopicPartition, OffsetAndMetadata> positions(KafkaConsumer<String, byte[]> consumer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        consumer.assignment().forEach(partition ->
                offsets.put(partition, new OffsetAndMetadata(consumer.position(partition))));
        return offsets;
    }
}
