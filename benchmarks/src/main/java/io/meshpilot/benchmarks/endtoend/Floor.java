package io.meshpilot.benchmarks.endtoend;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.meshpilot.kafka.KafkaSettings;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The run's own floor, measured beside it on the same broker and API server: a sample is produced to topic A, a
 * consumer of A produces it to topic B, a consumer of B patches a Service, and the sample is the time from the first
 * send to the patch answered: two Kafka produce-to-consume hops and one API-server patch, the least any event-to-
 * applied path of meshpilot holds. Producers and consumers have the components' own settings. The floor of a window
 * is every sample sent inside it, however late it is answered, as the latency of a window is every change made inside
 * it.
 */
final class Floor implements AutoCloseable {

    private static final Duration PERIOD = Duration.ofMillis(100);

    private final KafkaSettings kafka;
    private final String topicA;
    private final String topicB;
    private final KubernetesClient client;
    private final String service;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** A sample: when it was sent and how long until its patch was answered. */
    private record Sample(long sent, long took) {
    }

    private final List<Sample> samples = new ArrayList<>();
    /** Samples sent and not yet answered, by their send time. */
    private final Map<String, Long> inFlight = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ExecutorService patchers = Executors.newFixedThreadPool(16);

    Floor(KafkaSettings kafka, String topicA, String topicB, KubernetesClient client, String service) {
        this.kafka = kafka;
        this.topicA = topicA;
        this.topicB = topicB;
        this.client = client;
        this.service = service;
    }

    /** Sends a sample every 100 ms until closed. */
    Floor start() {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer("floor"));
        KafkaConsumer<String, byte[]> fromA = consumer("floor-a", topicA);
        KafkaConsumer<String, byte[]> fromB = consumer("floor-b", topicB);
        threads.add(thread("floor-hop-1", () -> {
            for (ConsumerRecord<String, byte[]> record : fromA.poll(Duration.ofMillis(100))) {
                producer.send(new ProducerRecord<>(topicB, record.key(), record.value()));
            }
        }, fromA));
        threads.add(thread("floor-hop-2", () -> {
            for (ConsumerRecord<String, byte[]> record : fromB.poll(Duration.ofMillis(100))) {
                // each sample's patch on its own worker, as the agent's applier does: samples never queue behind
                // one another
                patchers.execute(() -> {
                    long start = ByteBuffer.wrap(record.value()).getLong();
                    try {
                        client.services().inNamespace(LoadedRegion.NAMESPACE).withName(service)
                                .patch(PatchContext.of(PatchType.JSON_MERGE),
                                        "{\"metadata\":{\"annotations\":{\"bench.meshpilot.io/floor\":\""
                                                + record.key() + "\"}}}");
                    } catch (RuntimeException e) {
                        if (running.get()) {
                            throw e;
                        }
                        return; // interrupted by close(): not a sample
                    }
                    answered(record.key(), new Sample(start, System.nanoTime() - start));
                });
            }
        }, fromB));
        threads.add(thread("floor-source", new Runnable() {
            private long next = System.nanoTime();
            private long sent;

            @Override
            public void run() {
                next += PERIOD.toNanos();
                LockSupport.parkNanos(next - System.nanoTime());
                String key = Long.toString(++sent);
                long now = System.nanoTime();
                inFlight.put(key, now);
                producer.send(new ProducerRecord<>(topicA, key, ByteBuffer.allocate(8).putLong(now).array()));
            }
        }, producer));
        threads.forEach(Thread::start);
        return this;
    }

    private KafkaConsumer<String, byte[]> consumer(String id, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer(id, Optional.empty()));
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition);
        return consumer;
    }

    private Thread thread(String name, Runnable step, AutoCloseable resource) {
        Thread thread = new Thread(() -> {
            try (resource) {
                while (running.get()) {
                    step.run();
                }
            } catch (Exception e) {
                if (running.get()) {
                    throw new IllegalStateException(name + " failed", e);
                }
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    private synchronized void answered(String key, Sample sample) {
        inFlight.remove(key);
        samples.add(sample);
        notifyAll();
    }

    /**
     * The samples sent from {@code fromNanos} to {@code toNanos} ({@link System#nanoTime()}), sorted, once every one of
     * them is answered or {@code timeout} ran out (then those answered).
     */
    synchronized List<Long> sentBetween(long fromNanos, long toNanos, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (inFlight.values().stream().anyMatch(sent -> sent >= fromNanos && sent < toNanos)
                    && System.nanoTime() < deadline) {
                wait(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Long> sorted = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.sent() >= fromNanos && sample.sent() < toNanos) {
                sorted.add(sample.took());
            }
        }
        Collections.sort(sorted);
        return sorted;
    }

    @Override
    public void close() {
        running.set(false);
        patchers.shutdownNow();
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
