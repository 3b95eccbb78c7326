package io.meshpilot.cli.policy;

import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.kafka.TopicSnapshot;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.PolicyStatus;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.meshpilot.cli.StatusTopicCalls;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The policies topic as an operator uses it: write policies and wait for their verdicts, read the policies in force,
 * delete one, read a verdict. Blocking; for the command line.
 */
public final class PolicyClient {

    private static final Duration KAFKA_TIMEOUT = StatusTopicCalls.KAFKA_TIMEOUT;

    private final KafkaSettings settings;
    private final Topics topics;
    private final RecordCodec codec = RecordCodec.get();

    public PolicyClient(KafkaSettings settings, Topics topics) {
        this.settings = settings;
        this.topics = topics;
    }

    /**
     * Writes the documents and waits for the control plane's status of each; returns the statuses that came within
     * the timeout, in the documents' order.
     */
    public List<PolicyStatus> apply(List<PolicyDocuments.Document> documents, Duration timeout) {
        try (KafkaConsumer<String, byte[]> statuses = new KafkaConsumer<>(settings.consumer("meshpilot-policy",
                Optional.empty()))) {
            List<TopicPartition> partitions = StatusTopicCalls.partitions(statuses, topics.policyStatus());
            statuses.assign(partitions);
            statuses.seekToEnd(partitions);
            partitions.forEach(statuses::position);
            List<RecordMetadata> written = write(documents);
            return awaitVerdicts(statuses, written, timeout);
        }
    }

    private List<RecordMetadata> write(List<PolicyDocuments.Document> documents) {
        List<RecordMetadata> written = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("meshpilot-policy"))) {
            for (PolicyDocuments.Document document : documents) {
                written.add(StatusTopicCalls.written(producer.send(new ProducerRecord<>(topics.policies(), document.scope(),
                        document.json()))));
            }
        }
        return written;
    }

    private List<PolicyStatus> awaitVerdicts(KafkaConsumer<String, byte[]> statuses, List<RecordMetadata> written,
            Duration timeout) {
        Map<String, PolicyStatus> byRecord = new HashMap<>();
        Instant deadline = Instant.now().plus(timeout);
        while (byRecord.size() < written.size() && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, byte[]> record : statuses.poll(Duration.ofMillis(200))) {
                decode(record).ifPresent(status ->
                        byRecord.put(status.policyPartition() + "@" + status.policyOffset(), status));
            }
        }
        List<PolicyStatus> verdicts = new ArrayList<>();
        for (RecordMetadata metadata : written) {
            PolicyStatus status = byRecord.get(metadata.partition() + "@" + metadata.offset());
            if (status != null) {
                verdicts.add(status);
            }
        }
        return verdicts;
    }

    /** The latest policy document of every scope, as written. */
    public Map<String, String> policies() {
        Map<String, String> policies = new LinkedHashMap<>();
        TopicSnapshot.latest(settings.consumer("meshpilot-policy", Optional.empty()), topics.policies(),
                KAFKA_TIMEOUT).forEach((scope, record) ->
                policies.put(scope, new String(record.value(), StandardCharsets.UTF_8)));
        return policies;
    }

    public void delete(String scope) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("meshpilot-policy"))) {
            StatusTopicCalls.written(producer.send(new ProducerRecord<>(topics.policies(), scope, null)));
        }
    }

    /** The control plane's latest verdict on a scope's policy. */
    public Optional<PolicyStatus> status(String scope) {
        return Optional.ofNullable(TopicSnapshot.latest(settings.consumer("meshpilot-policy", Optional.empty()),
                topics.policyStatus(), KAFKA_TIMEOUT).get(scope)).flatMap(this::decode);
    }

    private Optional<PolicyStatus> decode(ConsumerRecord<String, byte[]> record) {
        return record.value() != null && codec.decode(record.value(), PolicyStatus.class)
                instanceof Decoded.Valid<PolicyStatus> valid ? Optional.of(valid.record()) : Optional.empty();
    }
}
