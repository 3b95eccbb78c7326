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

    private final RecordSender sender;
    private final Topics topics;
    private final String component;

    public DeadLetters(RecordSender sender, Topics topics, String component) {
        this.sender = sender;
        this.topics = topics;
        this.component = component;
    }

    public CompletionStage<RecordMetadata> send(ConsumerRecord<String, byte[]> original, String reason) {
        String source = original.topic() + "/" + original.partition() + "@" + original.offset();
        LOG.atWarn().addKeyValue("source", source).addKeyValue("key", original.key()).addKeyValue("reason", reason)
                .log("record dead-lettered");
        ProducerRecord<String, byte[]> letter = new ProducerRecord<>(topics.deadLetter(), original.key(),
                original.value());
        letter.headers()
                .add(ERROR_HEADER, reason.getBytes(StandardCharsets.UTF_8))
                .add(SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8))
                .add(COMPONENT_HEADER, component.getBytes(StandardCharsets.UTF_8));
        return sender.send(letter);
    }
}
