package io.meshpilot.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a Kafka consumer on its own thread and hands each batch to a handler, waiting for the handler's stage before
 * polling again: the handler sets the pace (back-pressure) and sees batches one at a time, in order. A handler that
 * fails, or a poll that fails with anything but a retriable error, stops the loop for good: the batch is not skipped
 * with the position moving on. {@link #failure()} says why (a component's health check), and the failure listener is
 * told once. Closing wakes the consumer and ends the loop.
 */
public final class RecordPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecordPoller.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Consumer<KafkaConsumer<String, byte[]>> subscriber;
    private final Function<ConsumerRecords<String, byte[]>, CompletionStage<?>> handler;
    private final Thread thread;
    private final String name;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;
    private volatile RecordMetrics metrics;
    private volatile Consumer<Map<TopicPartition, Long>> progress;
    private volatile Consumer<String> failureListener = failure -> { };
    private volatile String failure;

    /**
     * @param subscriber called once on the poll thread before the first poll, to subscribe or assign
     * @param handler    processes one batch; the next poll waits for its stage
     */
    public RecordPoller(String name, Map<String, Object> consumerConfig,
            Consumer<KafkaConsumer<String, byte[]>> subscriber,
            Function<ConsumerRecords<String, byte[]>, CompletionStage<?>> handler) {
        this.consumer = new KafkaConsumer<>(consumerConfig);
        this.subscriber = subscriber;
        this.handler = handler;
        this.name = name;
        this.thread = new Thread(this::run, name + "-poll");
        this.thread.setDaemon(true);
    }

    /** Counts the records of every batch in {@code meshpilot_records_received_total}. */
    public RecordPoller countingInto(RecordMetrics recordMetrics) {
        this.metrics = recordMetrics;
        return this;
    }

    /**
     * Told, on the poll thread after each batch is handled (and after empty polls), the position reached in every
     * assigned partition: how far this consumer has read.
     */
    public RecordPoller onProgress(Consumer<Map<TopicPartition, Long>> listener) {
        this.progress = listener;
        return this;
    }

    /** Told, once, why the loop stopped for good (a handler or a poll failed). */
    public RecordPoller onFailure(Consumer<String> listener) {
        this.failureListener = listener;
        return this;
    }

    /** Why the loop stopped for good, if it did: the component's state no longer follows the topics. */
    public java.util.Optional<String> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    public RecordPoller start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            subscriber.accept(consumer);
            while (!closing) {
                pollOnce();
            }
        } catch (WakeupException e) {
            if (!closing) {
                LOG.warn("poll loop {} woken up unexpectedly", thread.getName());
            }
        } catch (HandlerFailed e) {
            failed("handler failed: " + e.getCause(), e.getCause());
        } catch (RuntimeException e) {
            failed("poll failed: " + e, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            stopped.countDown();
        }
    }

    private void pollOnce() {
        ConsumerRecords<String, byte[]> records;
        try {
            records = consumer.poll(POLL_TIMEOUT);
        } catch (WakeupException e) {
            throw e;
        } catch (org.apache.kafka.common.errors.RetriableException e) {
            LOG.warn("poll loop {}: {}, retrying", thread.getName(), e.toString());
            pause(RETRY_BACKOFF);
            return;
        }
        if (!records.isEmpty()) {
            RecordMetrics counting = metrics;
            if (counting != null) {
                records.partitions().forEach(partition ->
                        counting.received(partition.topic(), records.records(partition).size()));
            }
            awaitHandler(records);
        }
        RecordMetrics measuring = metrics;
        if (measuring != null) {
            Map<String, Long> lag = new HashMap<>();
            for (TopicPartition partition : consumer.assignment()) {
                consumer.currentLag(partition).ifPresent(behind -> lag.merge(partition.topic(), behind, Long::sum));
            }
            measuring.lag(name, lag);
        }
        Consumer<Map<TopicPartition, Long>> listener = progress;
        if (listener != null) {
            Map<TopicPartition, Long> positions = new HashMap<>();
            for (TopicPartition partition : consumer.assignment()) {
                positions.put(partition, consumer.position(partition));
            }
            listener.accept(positions);
        }
    }

    private void failed(String why, Throwable cause) {
        failure = why;
        LOG.error("poll loop {} stopped: {}", thread.getName(), why, cause);
        failureListener.accept(why);
    }

    /** The handler failed on a batch: the loop stops rather than skip it. */
    private static final class HandlerFailed extends RuntimeException {
        HandlerFailed(Throwable cause) {
            super(cause);
        }
    }

    private void awaitHandler(ConsumerRecords<String, byte[]> records) {
        CompletableFuture<?> handled;
        try {
            handled = handler.apply(records).toCompletableFuture();
        } catch (RuntimeException e) {
            throw new HandlerFailed(e);
        }
        while (!closing) {
            try {
                handled.get(POLL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                // keep waiting; checking now and then whether we are closing
            } catch (ExecutionException e) {
                throw new HandlerFailed(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void pause(Duration duration) {
        try {
            stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            if (!stopped.await(10, TimeUnit.SECONDS)) {
                LOG.warn("poll loop {} did not stop within 10 s", thread.getName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
