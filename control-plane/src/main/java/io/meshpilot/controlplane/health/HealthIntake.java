package io.meshpilot.controlplane.health;

import io.meshpilot.kafka.DeadLetters;
import io.meshpilot.kafka.RecordPoller;
import io.meshpilot.kafka.Subscriptions;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.schemas.Topics;
import io.meshpilot.schemas.Topics.RegionRole;
import io.meshpilot.schemas.Topics.RegionTopic;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumes every region's health topic (regions are discovered from the topic names) into the health book on the
 * control plane's event loop, then asks for a decision on each Service whose health changed. A record that does not
 * decode, has a bad key, or names a region other than its topic's goes to the dead-letter topic instead.
 */
public final class HealthIntake implements AutoCloseable {

    private final RecordPoller poller;
    private final Topics topics;
    private final Context loop;
    private final RegionHealthBook book;
    private final Consumer<ServiceKey> changed;
    private final DeadLetters deadLetters;
    private final RecordCodec codec = RecordCodec.get();

    private HealthIntake(Topics topics, Map<String, Object> consumerConfig, Context loop, RegionHealthBook book,
            Consumer<ServiceKey> changed, DeadLetters deadLetters) {
        this.topics = topics;
        this.loop = loop;
        this.book = book;
        this.changed = changed;
        this.deadLetters = deadLetters;
        this.poller = new RecordPoller("health", consumerConfig,
                Subscriptions.patternFromBeginning(topics.regionTopicPattern(RegionRole.HEALTH), NO_LISTENER),
                this::handOver);
    }

    /**
     * Starts consuming.
     *
     * @param changed called on the event loop for each Service whose health changed, once per batch
     */
    public static HealthIntake start(Topics topics, Map<String, Object> consumerConfig, Context loop,
            RegionHealthBook book, Consumer<ServiceKey> changed, DeadLetters deadLetters) {
        HealthIntake intake = new HealthIntake(topics, consumerConfig, loop, book, changed, deadLetters);
        intake.poller.start();
        return intake;
    }

    private CompletionStage<Void> handOver(ConsumerRecords<String, byte[]> records) {
        Promise<Void> handled = Promise.promise();
        loop.runOnContext(ignored -> {
            Set<ServiceKey> touched = new LinkedHashSet<>();
            records.forEach(record -> accept(record).ifPresent(touched::add));
            touched.forEach(changed);
            handled.complete();
        });
        return handled.future().toCompletionStage();
    }

    private Optional<ServiceKey> accept(ConsumerRecord<String, byte[]> record) {
        Optional<RegionTopic> topic = topics.parse(record.topic());
        Optional<ServiceKey> key = ServiceKey.parse(record.key());
        if (topic.isEmpty() || key.isEmpty()) {
            deadLetters.send(record, DeadLetters.Cause.BAD_KEY, "key '" + record.key() + "' is not <namespace>/<service>");
            return Optional.empty();
        }
        String region = topic.get().region();
        if (record.value() == null) {
            book.remove(key.get(), region);
            return key;
        }
        Decoded<ServiceHealth> decoded = codec.decode(record.value(), ServiceHealth.class);
        if (decoded instanceof Decoded.Invalid<ServiceHealth> invalid) {
            deadLetters.send(record, DeadLetters.Cause.INVALID, invalid.summary());
            return Optional.empty();
        }
        ServiceHealth health = ((Decoded.Valid<ServiceHealth>) decoded).record();
        if (!health.region().equals(region)) {
            deadLetters.send(record, DeadLetters.Cause.REGION_MISMATCH, "region '" + health.region() + "' does not match the topic's region '"
                    + region + "'");
            return Optional.empty();
        }
        if (!health.key().equals(key.get())) {
            deadLetters.send(record, DeadLetters.Cause.REGION_MISMATCH, "Service " + health.key() + " does not match the record key " + key.get());
            return Optional.empty();
        }
        book.put(health);
        return key;
    }

    @Override
    public void close() {
        poller.close();
    }

    private static final ConsumerRebalanceListener NO_LISTENER = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    };
}
