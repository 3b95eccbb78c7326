package io.meshpilot.cli.practice;

import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.kafka.TopicSnapshot;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.PracticeRun;
import io.meshpilot.schemas.PracticeRunStatus;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.meshpilot.cli.StatusTopicCalls;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The practice-run topics as an operator uses them: write a run and wait for the control plane's answer, abort one
 * (a tombstone), read the statuses, wait for a run to end. Blocking; for the command line.
 */
public final class PracticeClient {

    private static final Duration KAFKA_TIMEOUT = StatusTopicCalls.KAFKA_TIMEOUT;
    private static final Set<String> ENDED = Set.of("rejected", "refused", "completed", "aborted");

    private final KafkaSettings settings;
    private final Topics topics;
    private final RecordCodec codec = RecordCodec.get();

    public PracticeClient(KafkaSettings settings, Topics topics) {
        this.settings = settings;
        this.topics = topics;
    }

    public static boolean ended(PracticeRunStatus status) {
        return ENDED.contains(status.phase());
    }

    /** Writes the run and waits for the control plane's first answer to that record, if it comes in time. */
    public Optional<PracticeRunStatus> start(String name, PracticeRun run, Duration timeout) {
        try (KafkaConsumer<String, byte[]> statuses = statusConsumer()) {
            List<TopicPartition> partitions = StatusTopicCalls.partitions(statuses, topics.practiceStatus());
            statuses.assign(partitions);
            statuses.seekToEnd(partitions);
            partitions.forEach(statuses::position);
            RecordMetadata written;
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("meshpilot-practice"))) {
                written = StatusTopicCalls.written(producer.send(new ProducerRecord<>(topics.practiceRuns(), name, codec.encode(run))));
            }
            return await(statuses, name, status -> status.runPartition() == written.partition()
                    && status.runOffset() == written.offset(), timeout);
        }
    }

    /** Writes the run's tombstone: the control plane aborts it if it has not ended. */
    public void abort(String name) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("meshpilot-practice"))) {
            StatusTopicCalls.written(producer.send(new ProducerRecord<>(topics.practiceRuns(), name, null)));
        }
    }

    /** The latest status of every run, by name. */
    public Map<String, PracticeRunStatus> statuses() {
        Map<String, PracticeRunStatus> statuses = new TreeMap<>();
        TopicSnapshot.latest(settings.consumer("meshpilot-practice", Optional.empty()), topics.practiceStatus(),
                KAFKA_TIMEOUT).forEach((name, record) -> decode(record).ifPresent(status -> statuses.put(name,
                status)));
        return statuses;
    }

    /** Waits for the run's status to say it ended; returns the latest status read either way. */
    public Optional<PracticeRunStatus> awaitEnded(String name, Duration timeout) {
        try (KafkaConsumer<String, byte[]> statuses = statusConsumer()) {
            List<TopicPartition> partitions = StatusTopicCalls.partitions(statuses, topics.practiceStatus());
            statuses.assign(partitions);
            statuses.seekToBeginning(partitions);
            return await(statuses, name, PracticeClient::ended, timeout);
        }
    }

    private Optional<PracticeRunStatus> await(KafkaConsumer<String, byte[]> statuses, String name,
            Predicate<PracticeRunStatus> done, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        PracticeRunStatus latest = null;
        while (Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, byte[]> record : statuses.poll(Duration.ofMillis(200))) {
                if (name.equals(record.key())) {
                    latest = decode(record).orElse(latest);
                }
            }
            if (latest != null && done.test(latest) && caughtUp(statuses)) {
                return Optional.of(latest);
            }
        }
        return Optional.ofNullable(latest).filter(done);
    }

    private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), KAFKA_TIMEOUT);
        return end.entrySet().stream().allMatch(entry -> consumer.position(entry.getKey()) >= entry.getValue());
    }

    private KafkaConsumer<String, byte[]> statusConsumer() {
        return new KafkaConsumer<>(settings.consumer("meshpilot-practice", Optional.empty()));
    }

    private Optional<PracticeRunStatus> decode(ConsumerRecord<String, byte[]> record) {
        return record.value() != null && codec.decode(record.value(), PracticeRunStatus.class)
                instanceof Decoded.Valid<PracticeRunStatus> valid ? Optional.of(valid.record()) : Optional.empty();
    }
}
