package io.meshpilot.benchmarks.load;

import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.kafka.RecordPoller;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka side of every simulated region's agent, shared: one producer for their health, heartbeats and statuses,
 * one consumer of all their directives topics (each read from the beginning, each record handed to its region), one
 * thread sending every region's heartbeat each second. Each real agent has its own clients in its own cluster; on
 * the harness's two cores, 255 regions' worth of producers, consumers and threads would measure themselves, not the
 * control plane. What the control plane reads and writes is the same.
 */
final class SimulatedAgents implements AutoCloseable {

    private static final Duration METADATA_WAIT = Duration.ofSeconds(5);

    private final RecordSender sender;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    private final RecordPoller directives;

    SimulatedAgents(KafkaSettings kafka, Topics topics, List<SimulatedRegion> regions) {
        this.sender = new RecordSender(kafka.producer("sim-agents"), "sim-agents");
        Map<String, SimulatedRegion> byTopic = new HashMap<>();
        regions.forEach(region -> byTopic.put(topics.directives(region.name()), region.connect(topics, sender)));
        heartbeats.scheduleAtFixedRate(() -> regions.forEach(SimulatedRegion::heartbeat), 0, 1, TimeUnit.SECONDS);
        this.directives = new RecordPoller("sim-agents", kafka.consumer("sim-agents", Optional.empty()),
                consumer -> assignFromBeginning(consumer, byTopic.keySet()), records -> {
                    long now = System.nanoTime();
                    records.forEach(record -> {
                        if (record.value() != null && RecordCodec.get().decode(record.value(), ServiceDirective.class)
                                instanceof Decoded.Valid<ServiceDirective> valid) {
                            byTopic.get(record.topic()).offer(valid.record(), now);
                        }
                    });
                    return CompletableFuture.completedFuture(null);
                }).start();
    }

    private static void assignFromBeginning(KafkaConsumer<String, byte[]> consumer, Iterable<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = null;
            while (infos == null || infos.isEmpty()) {
                try {
                    infos = consumer.partitionsFor(topic, METADATA_WAIT);
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    infos = null; // a broker busy opening thousands of partitions: ask again
                }
            }
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        directives.close();
        sender.close();
    }
}
