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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends meshpilot documents without ever blocking its caller: {@code KafkaProducer.send} may wait for metadata (up to
 * {@code max.block.ms}), so it runs on the sender's own thread, in call order. Safe to call from an event loop.
 *
 * <p>At most {@link #IN_FLIGHT} records are in the producer at once; the others wait their turn on the sender's
 * thread. The producer keeps every batch buffer it ever freed for reuse (up to {@code buffer.memory}, 32 MB), so a
 * burst of ten thousand statuses queued behind a slow broker would otherwise stay in the heap as some 200 idle 16 KB
 * buffers for the life of the process.
 */
public final class RecordSender implements AutoCloseable {

    /** Records handed to the producer and not yet acknowledged or failed, at most. */
    public static final int IN_FLIGHT = 1024;

    private final Producer<String, byte[]> producer;
    private final ExecutorService sendThread;
    private final Semaphore inFlight;
    private final RecordCodec codec = RecordCodec.get();
    private final List<SendListener> listeners = new CopyOnWriteArrayList<>();

    public RecordSender(Map<String, Object> producerConfig, String name) {
        this(producerConfig, name, IN_FLIGHT);
    }

    /** With room for {@code inFlight} records in the producer (one sender standing for many agents needs more). */
    public RecordSender(Map<String, Object> producerConfig, String name, int inFlight) {
        this(new KafkaProducer<>(producerConfig), name, inFlight);
    }

    RecordSender(Producer<String, byte[]> producer, String name) {
        this(producer, name, IN_FLIGHT);
    }

    RecordSender(Producer<String, byte[]> producer, String name, int inFlight) {
        this.producer = producer;
        this.inFlight = new Semaphore(inFlight);
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
                    inFlight.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    settle(sent, record.topic(), null, new IllegalStateException("the record sender is closed", e));
                    return;
                }
                try {
                    producer.send(record, (metadata, failure) -> {
                        inFlight.release();
                        settle(sent, record.topic(), metadata, failure);
                    });
                } catch (RuntimeException e) {
                    inFlight.release();
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
        sendThread.shutdownNow(); // a send still waiting for room fails rather than waits for ever
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
