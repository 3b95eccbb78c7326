package io.meshpilot.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Kafka's own {@link MockProducer}, completing sends when told: what the sender hands it, and when. */
class RecordSenderTest {

    @Test
    void aBurstWaitsItsTurnBeyondTheRecordsInFlight() {
        MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(),
                new ByteArraySerializer());
        try (RecordSender sender = new RecordSender(producer, "test", 2)) {
            List<CompletionStage<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sent.add(sender.send(new ProducerRecord<>("t", "k" + i, new byte[] {(byte) i})));
            }
            await().until(() -> producer.history().size() == 2);

            producer.completeNext();
            producer.errorNext(new IllegalStateException("broker said no"));

            await().until(() -> producer.history().size() == 4);
            assertThat(sent.get(0).toCompletableFuture()).isCompleted();
            assertThat(sent.get(1).toCompletableFuture()).isCompletedExceptionally();
            assertThat(sent.get(4).toCompletableFuture()).isNotDone();
            assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("k0", "k1", "k2", "k3");
            producer.completeNext();
            await().until(() -> producer.history().size() == 5);
        }
    }

    @Test
    void closingFailsASendStillWaitingForRoom() {
        MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(),
                new ByteArraySerializer());
        RecordSender sender = new RecordSender(producer, "test", 1);
        sender.send(new ProducerRecord<>("t", "first", new byte[0]));
        CompletionStage<RecordMetadata> waiting = sender.send(new ProducerRecord<>("t", "second", new byte[0]));
        await().until(() -> producer.history().size() == 1);

        sender.close(Duration.ofMillis(100));

        await().until(() -> waiting.toCompletableFuture().isDone());
        assertThat(waiting.toCompletableFuture()).isCompletedExceptionally();
    }
}
