package io.meshpilot.kafka;

import io.meshpilot.schemas.MeshRecord;
import io.meshpilot.schemas.RecordCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends meshpilot documents without ever blocking its caller: {@code KafkaProducer.send} may wait for metadata (up to
 * {@code max.block.ms}), so it runs on the sender's own thread, in call order. Safe to call from an event loop.
 */
public final class RecordSender implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final ExecutorService sendThread;
    private final RecordCodec codec = RecordCodec.get();
    private final List<SendListener> listeners = new CopyOnWriteArrayList<>();

    public RecordSender(Map<String, Object> producerConfig, String name) {
        this(new KafkaProducer<>(producerConfig), name);
    }

    RecordSender(Producer<String, byte[]> producer, String name) {
        this.producer = producer;
        this.sendThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name + "-send");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Adds a listener told the outcome of every later send. */
    public RecordSender listen(SendListener listener) {
        listeners.add(listener);
        return this;
    }

    public CompletionStage<RecordMetadata> send(String topic, String key, MeshRecord record) {
        return send(new ProducerRecord<>(topic, key, codec.encode(record)));
    }

    /** Deletes a key from a compacted topic. */
    public CompletionStage<RecordMetadata> tombstone(String topic, String key) {
        return send(new ProducerRecord<>(topic, key, null));
    }

    public CompletionStage<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
        try {
            sendThread.execute(() -> {
                try {
                    producer.send(record, (metadata, failure) -> settle(sent, record.topic(), metadata, failure));
                } catch (RuntimeException e) {
                    settle(sent, record.topic(), null, e);
                }
            });
        } catch (RejectedExecutionException e) {
            sent.completeExceptionally(new IllegalStateException("the record sender is closed", e));
        }
        return sent;
    }

    private void settle(CompletableFuture<RecordMetadata> sent, String topic, RecordMetadata metadata,
            Throwable failure) {
        for (SendListener listener : listeners) {
            if (failure == null) {
                listener.sent(topic);
            } else {
                listener.failed(topic, failure);
            }
        }
        if (failure == null) {
            sent.complete(metadata);
        } else {
            sent.completeExceptionally(failure);
        }
    }

    /** Sends what was accepted, waiting at most {@code timeout}, then releases the producer. */
    public void close(Duration timeout) {
        sendThread.shutdown();
        try {
            sendThread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
