package io.meshpilot.controlplane;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Lets a test hold a transactional producer inside an open transaction: once armed, the first Decision record sent
 * waits (on the producer's caller thread) until the test lets go, while the directives of the same decision, sent
 * before it in the same transaction, are already on their way, so the coordinator knows the transaction as ongoing. Kafka's own interceptor hook, configured through the
 * client properties file (which every client reads, hence the consumer side too, where it does nothing).
 */
public final class HoldingInterceptor implements ProducerInterceptor<String, byte[]>,
        ConsumerInterceptor<String, byte[]> {

    private static final AtomicReference<CountDownLatch> RELEASE = new AtomicReference<>();
    private static final AtomicInteger SENT = new AtomicInteger();
    private static volatile boolean holding;

    /** From now on, hold the first Decision record sent until {@link #release()}. */
    static void arm() {
        SENT.set(0);
        holding = false;
        RELEASE.set(new CountDownLatch(1));
    }

    /**
     * Whether a Decision record is being held now. A transaction seen ongoing before this is true may be another one
     * (a dead letter's, say) that commits on its own.
     */
    static boolean holding() {
        return holding;
    }

    static void release() {
        CountDownLatch latch = RELEASE.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
    }

    @Override
    public ProducerRecord<String, byte[]> onSend(ProducerRecord<String, byte[]> record) {
        CountDownLatch latch = RELEASE.get();
        if (latch != null && record.topic().endsWith(".decisions") && SENT.incrementAndGet() == 1) {
            holding = true;
            try {
                latch.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holding = false;
            }
        }
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    }

    @Override
    public ConsumerRecords<String, byte[]> onConsume(ConsumerRecords<String, byte[]> records) {
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
