package io.meshpilot.kafka;

import io.meshpilot.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record that could not be used to {@code P.deadletter}: the original key and bytes, with the reason and the
 * record's origin in headers, so nothing is lost and an operator can see why.
 */
public final class DeadLetters {

    public static final String ERROR_HEADER = "meshpilot.error";
    public static final String SOURCE_HEADER = "meshpilot.source";
    public static final String COMPONENT_HEADER = "meshpilot.component";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    /** Why a record was not used; a bounded metric label. */
    public enum Cause {
        /** The bytes are not a valid document of the expected kind. */
        INVALID("invalid"),
        /** The key is not what the topic's keys must be. */
        BAD_KEY("bad-key"),
        /** The document names another region, or another Service, than its topic and key. */
        REGION_MISMATCH("region-mismatch"),
        /** A valid document the component refused to act on. */
        REJECTED("rejected");

        private final String label;

        Cause(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final RecordSender sender;
    private final Topics topics;
    private final String component;

    private final RecordMetrics metrics;

    public DeadLetters(RecordSender sender, Topics topics, String component, RecordMetrics metrics) {
        this.sender = sender;
        this.topics = topics;
        this.component = component;
        this.metrics = metrics;
    }

    public CompletionStage<RecordMetadata> send(ConsumerRecord<String, byte[]> original, Cause cause,
            String reason) {
        return send(original.topic(), original.partition() + "@" + original.offset(), original.key(),
                original.value(), cause, reason);
    }

    /**
     * Dead-letters a record by its origin.
     *
     * @param position where in the topic it was, {@code <partition>@<offset>}
     */
    public CompletionStage<RecordMetadata> send(String topic, String position, String key, byte[] value,
            Cause cause, String reason) {
        metrics.deadLettered(topic, cause);
        return sender.send(letter(topics, component, topic + "/" + position, key, value, reason));
    }

    /**
     * The dead letter of a record, for a component that publishes it itself (in a transaction): the original key and
     * bytes, the reason and the origin in headers. Logs it.
     *
     * @param source where the record came from, {@code <topic>/<partition>@<offset>}
     */
    public static ProducerRecord<String, byte[]> letter(Topics topics, String component, String source, String key,
            byte[] value, String reason) {
        LOG.atWarn().addKeyValue("source", source).addKeyValue("key", key).addKeyValue("reason", reason)
                .log("record dead-lettered");
        ProducerRecord<String, byte[]> letter = new ProducerRecord<>(topics.deadLetter(), key, value);
        letter.headers()
                .add(ERROR_HEADER, reason.getBytes(StandardCharsets.UTF_8))
                .add(SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8))
                .add(COMPONENT_HEADER, component.getBytes(StandardCharsets.UTF_8));
        return letter;
    }
}
