package io.meshpilot.controlplane.runtime;

import io.github.resilience4j.core.IntervalFunction;
import io.meshpilot.controlplane.ControlPlaneMetrics;
import io.meshpilot.controlplane.shard.Output;
import io.meshpilot.controlplane.shard.Result;
import io.meshpilot.kafka.RecordMetrics;
import io.meshpilot.runtime.Await;
import io.meshpilot.runtime.EventLoop;
import io.meshpilot.schemas.Topics;
import io.meshpilot.schemas.Topics.RegionRole;
import io.meshpilot.schemas.Topics.RegionTopic;
import io.vertx.core.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's membership of the control plane's consumer group, and the transactions that publish what it
 * decides. The group splits the region topics' partitions between the replicas (the range assignor gives a member
 * the same partition index of every region's health topic, so it owns a Service in every region) and the policies
 * topic to one of them. Every batch of the outbox is published in one transaction together with this member's
 * consumer offsets, so the group coordinator fences it: a replica that lost its partitions cannot commit, and what it
 * sent is never read by the agents (read_committed). After a commit the results' commit actions run on the event
 * loop, after an abort their abort actions (what to publish instead).
 *
 * <p>A producer that cannot go on (fenced, its transaction timed out by the coordinator during a broker outage) is
 * not the end: the session ends, this replica gives up every claim, and a new consumer and producer join again; the
 * shard rebuilds its decisions from the topics as it re-claims the partitions. Only {@value #MOST_RECOVERIES}
 * failed sessions in a row (none committing) stop it for good, and {@link #failure()} says why.
 */
public final class OwnershipLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OwnershipLoop.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration LOOP_TIMEOUT = Duration.ofSeconds(30);
    static final int MOST_RECOVERIES = 5;
    /**
     * How long transactions may keep aborting, none committing, before the session starts over. Seen after a broker
     * restart: the consumer's position of a partition could not be determined for over a minute (each attempt timing
     * out after 10 s) while polling went on; a new producer and consumer join again instead of trying the same ones
     * for ever.
     */
    static final Duration MOST_ABORTING = Duration.ofSeconds(20);
    static final int OUTPUTS_PER_TRANSACTION = 10_000;

    private final Topics topics;
    private final Context loop;
    private final Claims claims;
    private final Outbox outbox;
    private final OutputEncoder encoder;
    private final ControlPlaneMetrics metrics;
    private final RecordMetrics recordMetrics;
    private final Clock clock;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final Thread thread;
    private final Runnable onFailure;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final IntervalFunction backoff = IntervalFunction.ofExponentialBackoff(Duration.ofMillis(200), 2.0,
            Duration.ofSeconds(10));
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean closing;
    private boolean broken;
    private volatile String failure;
    private volatile String recovering;
    /** This session's consumer, for the outbox's wake-ups from the event loop (null while closing). */
    private volatile KafkaConsumer<String, byte[]> wakeable;
    /** This session's consumer, on the ownership thread only (its rebalance callbacks run while it closes). */
    private KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private int failedSessions;
    private Instant abortingSince;

    public OwnershipLoop(Topics topics, Map<String, Object> consumerConfig, Map<String, Object> producerConfig,
            String transactionalId, Context loop, Claims claims, Outbox outbox, ControlPlaneMetrics metrics,
            RecordMetrics recordMetrics, Clock clock, Runnable onFailure) {
        this.onFailure = onFailure;
        this.topics = topics;
        this.loop = loop;
        this.claims = claims;
        this.outbox = outbox;
        this.encoder = new OutputEncoder(topics);
        this.metrics = metrics;
        this.recordMetrics = recordMetrics;
        this.clock = clock;
        this.consumerConfig = new HashMap<>(consumerConfig);
        this.consumerConfig.put("partition.assignment.strategy", RangeAssignor.class.getName());
        // Its end offsets are what a claim waits for the observer to read: read_uncommitted, they are high watermarks,
        // past every transaction open when the partitions were given. Committed ones (the last stable offset) stop
        // short of a transaction whose commit markers are still being written (seen right after a broker restart):
        // the replica decided before reading the directives it carried and published their versions again.
        this.consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        this.producerConfig = new HashMap<>(producerConfig);
        this.producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        this.thread = new Thread(this::run, "ownership");
        this.thread.setDaemon(true);
        outbox.onFirstEntry(this::wake);
    }

    public OwnershipLoop start() {
        thread.start();
        return this;
    }

    /** Why this replica stopped deciding for good, if it did. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Why this replica is re-joining the group now, if it is (it decides nothing meanwhile). */
    public Optional<String> recovering() {
        return Optional.ofNullable(recovering);
    }

    private void wake() {
        KafkaConsumer<String, byte[]> current = wakeable;
        if (current != null) {
            current.wakeup();
        }
    }

    private void run() {
        try {
            while (!closing) {
                try {
                    session();
                } catch (SessionEnded e) {
                    recover(e);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (GaveUp e) {
            onFailure.run();
        } catch (RuntimeException e) {
            failure = e.toString();
            LOG.atError().addKeyValue("error", e.toString()).log("ownership loop stopped", e);
            onFailure.run();
        } finally {
            stopped.countDown();
        }
    }

    /** One membership: a producer and a consumer, until closing or until the producer cannot go on. */
    private void session() {
        broken = false;
        abortingSince = null;
        try {
            producer = new KafkaProducer<>(producerConfig);
            producer.initTransactions();
            consumer = new KafkaConsumer<>(consumerConfig);
            wakeable = consumer;
            consumer.subscribe(ownedTopics(), new Rebalance());
            while (!closing) {
                try {
                    consumer.poll(POLL);
                } catch (WakeupException e) {
                    if (closing) {
                        return;
                    }
                }
                publish();
            }
        } catch (WakeupException | AuthenticationException | AuthorizationException e) {
            throw e;
        } catch (SessionEnded e) {
            broken = true;
            throw e;
        } catch (KafkaException e) {
            broken = true;
            throw new SessionEnded(e);
        } finally {
            closeSession();
        }
    }

    /** Gives up every claim, waits a little (longer each time) and lets the next session join again. */
    private void recover(SessionEnded ended) {
        failedSessions++;
        metrics.recovery();
        String why = ended.getCause().toString();
        if (failedSessions > MOST_RECOVERIES) {
            failure = "the producer could not go on " + failedSessions + " times in a row (last: " + why + ")";
            LOG.atError().addKeyValue("error", failure).log("stopped deciding");
            throw new GaveUp();
        }
        recovering = why;
        LOG.atWarn().addKeyValue("error", why).addKeyValue("attempt", failedSessions)
                .log("producer cannot go on; joining again and rebuilding decisions from the topics");
        onLoop(() -> {
            claims.releaseAll();
            abandonOutbox();
            return null;
        });
        try {
            closed.await(backoff.apply(failedSessions), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What the outbox holds was decided for claims this replica no longer has: it is never published; the abort
     * actions clean up after it (and decide nothing for partitions not owned). On the event loop.
     */
    private void abandonOutbox() {
        outbox.drain().forEach(result -> result.onAbort().forEach(instead -> outbox.add(instead.get())));
    }

    private Pattern ownedTopics() {
        return Pattern.compile(topics.regionTopicPattern(RegionRole.HEALTH).pattern() + "|"
                + Pattern.quote(topics.policies()));
    }

    /**
     * Publishes what the outbox holds, in transactions of about {@value #OUTPUTS_PER_TRANSACTION} outputs each with
     * this member's offsets: at 100,000 Services a resync decides hundreds of thousands of directives, and one
     * transaction of them all would outlast the producer's buffer and the transaction timeout.
     */
    private void publish() {
        if (consumer.assignment().isEmpty()) {
            // Between a lost membership and the next assignment: nothing may be published (there are no offsets to
            // commit with it, and no transaction to begin or abort); the outbox waits for the partitions.
            return;
        }
        while (publishOne()) {
            // until the outbox is empty
        }
    }

    /** Publishes one transaction's worth of the outbox; whether there was anything to publish. */
    private boolean publishOne() {
        List<Result> results = onLoop(() -> outbox.drain(OUTPUTS_PER_TRANSACTION));
        if (results.isEmpty()) {
            return false;
        }
        List<Output> outputs = results.stream().flatMap(result -> result.outputs().stream()).toList();
        List<ProducerRecord<String, byte[]>> records = outputs.stream().map(encoder::encode).toList();
        List<String> recordTopics = records.stream().map(ProducerRecord::topic).toList();
        Set<TopicPartition> assigned = consumer.assignment();
        try {
            producer.beginTransaction();
            records.forEach(producer::send);
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            assigned.forEach(partition -> knownPosition(partition).ifPresent(position ->
                    offsets.put(partition, new OffsetAndMetadata(position))));
            ConsumerGroupMetadata group = consumer.groupMetadata();
            // Measured with the load harness: sending the offsets while the records are still in flight made each
            // transaction take about 55 ms instead of 20 (the offsets request waits behind the batches).
            producer.flush();
            producer.sendOffsetsToTransaction(offsets, group);
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException e) {
            aborted(results, recordTopics, e);
            throw e;
        } catch (KafkaException e) {
            LOG.atWarn().addKeyValue("records", outputs.size()).addKeyValue("error", e.toString())
                    .log("transaction aborted; its decisions are made again");
            boolean canGoOn = abortQuietly();
            aborted(results, recordTopics, e);
            if (!canGoOn || abortingTooLong()) {
                throw new SessionEnded(e);
            }
            return false;
        }
        committed(results, outputs, recordTopics);
        return true;
    }

    private boolean abortingTooLong() {
        Instant now = clock.instant();
        if (abortingSince == null) {
            abortingSince = now;
        }
        return Duration.between(abortingSince, now).compareTo(MOST_ABORTING) >= 0;
    }

    private void committed(List<Result> results, List<Output> outputs, List<String> topics) {
        failedSessions = 0;
        abortingSince = null;
        recovering = null;
        Instant now = clock.instant();
        List<Duration> latencies = new ArrayList<>();
        int directives = 0;
        for (Output output : outputs) {
            if (output instanceof Output.Directive directive) {
                directives++;
                directive.causedAt().ifPresent(cause -> latencies.add(Duration.between(cause, now)));
            } else if (output instanceof Output.DeadLetter letter) {
                recordMetrics.deadLettered(letter.origin().topic(), OutputEncoder.cause(letter));
            }
        }
        metrics.committed(topics, directives, latencies);
        loop.runOnContext(ignored -> results.forEach(result -> result.onCommit().forEach(Runnable::run)));
    }

    /** The outputs were never published: each result's abort action says what to publish instead. */
    private void aborted(List<Result> results, List<String> topics, KafkaException e) {
        metrics.aborted(topics, e);
        loop.runOnContext(ignored -> results.forEach(result -> result.onAbort()
                .forEach(instead -> outbox.add(instead.get()))));
    }

    /** What the observer must have read before this replica acts on the partitions. */
    private Map<TopicPartition, Long> required(Collection<TopicPartition> claimed) {
        List<TopicPartition> needed = new ArrayList<>();
        for (TopicPartition partition : claimed) {
            Optional<RegionTopic> health = topics.parse(partition.topic());
            if (health.isPresent()) {
                for (RegionRole role : List.of(RegionRole.HEALTH, RegionRole.DIRECTIVES, RegionRole.STATUS)) {
                    needed.add(new TopicPartition(topics.regionTopic(health.get().region(), role),
                            partition.partition()));
                }
            }
        }
        for (String region : regionsOf(consumer.assignment())) {
            needed.addAll(allPartitions(topics.heartbeat(region)));
        }
        needed.addAll(allPartitions(topics.policies()));
        needed.addAll(allPartitions(topics.policyStatus()));
        needed.addAll(allPartitions(topics.practiceRuns()));
        needed.addAll(allPartitions(topics.practiceStatus()));
        return consumer.endOffsets(needed, LOOP_TIMEOUT);
    }

    /**
     * What a region partition's claim waits for: that index of the region topics, the heartbeats, the policies and
     * the practice runs and their statuses (not the policy statuses, which only the policies' claim reads). A
     * transaction still open on a partition (a previous owner that died mid-commit, until the coordinator aborts it)
     * holds back only the claims that read it.
     */
    private Map<TopicPartition, Long> requiredForPartition(Map<TopicPartition, Long> required, int index) {
        return only(required, partition -> perIndex(partition) ? partition.partition() == index
                : !partition.topic().equals(topics.policyStatus()));
    }

    /** What the policies' claim waits for: every mesh-wide topic, the policy statuses among them, and the heartbeats. */
    private Map<TopicPartition, Long> requiredForPolicies(Map<TopicPartition, Long> required) {
        return only(required, partition -> !perIndex(partition));
    }

    /** Whether the partition belongs to one partition index's claim: a region topic other than the heartbeats. */
    private boolean perIndex(TopicPartition partition) {
        return topics.parse(partition.topic()).map(topic -> topic.role() != RegionRole.HEARTBEAT).orElse(false);
    }

    private static Map<TopicPartition, Long> only(Map<TopicPartition, Long> required,
            Predicate<TopicPartition> wanted) {
        Map<TopicPartition, Long> claim = new HashMap<>();
        required.forEach((partition, offset) -> {
            if (wanted.test(partition)) {
                claim.put(partition, offset);
            }
        });
        return claim;
    }

    private List<String> regionsOf(Set<TopicPartition> partitions) {
        return partitions.stream().map(partition -> topics.parse(partition.topic()))
                .flatMap(Optional::stream).map(RegionTopic::region).distinct().toList();
    }

    private List<TopicPartition> allPartitions(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, LOOP_TIMEOUT);
        return infos == null ? List.of() : infos.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> required = uninterrupted(() -> required(partitions));
            List<Integer> indexes = indexes(partitions);
            boolean policies = partitions.stream().anyMatch(p -> p.topic().equals(topics.policies()));
            LOG.atInfo().addKeyValue("partitions", indexes).addKeyValue("policies", policies)
                    .log("partitions assigned");
            loop.runOnContext(ignored -> {
                indexes.forEach(index -> claims.claimPartition(index, requiredForPartition(required, index)));
                if (policies) {
                    claims.claimPolicies(requiredForPolicies(required));
                }
            });
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            if (!broken) {
                publish();
            }
            release(partitions);
            LOG.atInfo().addKeyValue("partitions", indexes(partitions)).log("partitions revoked");
        }

        /** The membership expired (an outage longer than the session timeout): another replica may own them now. */
        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            release(partitions);
        }

        /**
         * Gives the partitions up and, in the same event-loop task, abandons what the outbox holds: results the shard
         * added while the revocation's last transaction was committing were decided as the owner, and published
         * after the next assignment they would repeat a directive version the new owner also decides.
         */
        private void release(Collection<TopicPartition> partitions) {
            List<Integer> indexes = indexes(partitions);
            boolean policies = partitions.stream().anyMatch(p -> p.topic().equals(topics.policies()));
            onLoop(() -> {
                claims.release(indexes, policies);
                abandonOutbox();
                return null;
            });
        }

        private List<Integer> indexes(Collection<TopicPartition> partitions) {
            return partitions.stream().filter(p -> topics.parse(p.topic()).isPresent())
                    .map(TopicPartition::partition).distinct().sorted().toList();
        }
    }

    /** Runs a consumer call again if the outbox's wake-up interrupted it; only closing may stop it. */
    /**
     * The partition's position if the consumer knows it now; else its offset waits for a later transaction. After a
     * broker restart the group coordinator can answer UNSTABLE_OFFSET_COMMIT for a partition (an offset of ours
     * pending in a transaction it has no marker for): waiting for the position inside each transaction timed out
     * before its offsets were added, so every transaction aborted without the marker that would clear it, and the
     * replica decided nothing for minutes (FaultSuiteIT, the broker restarted, on two fresh machines).
     */
    private Optional<Long> knownPosition(TopicPartition partition) {
        try {
            return Optional.of(uninterrupted(() -> consumer.position(partition, Duration.ZERO)));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return Optional.empty();
        }
    }

    private <T> T uninterrupted(Supplier<T> call) {
        while (true) {
            try {
                return call.get();
            } catch (WakeupException e) {
                if (closing) {
                    throw e;
                }
            }
        }
    }

    private <T> T onLoop(Supplier<T> action) {
        return Await.result(EventLoop.call(loop, action), LOOP_TIMEOUT, "the control plane's event loop");
    }

    /** Whether the producer could abort (and so go on); one that cannot must be replaced. */
    private boolean abortQuietly() {
        try {
            producer.abortTransaction();
            return true;
        } catch (TransactionAbortableException e) {
            return false;
        } catch (KafkaException e) {
            LOG.atDebug().addKeyValue("error", e.toString()).log("abort failed");
            return false;
        }
    }

    private void closeSession() {
        wakeable = null;
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.atDebug().addKeyValue("error", e.toString()).log("consumer close failed");
            }
            consumer = null;
        }
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.atDebug().addKeyValue("error", e.toString()).log("producer close failed");
            }
            producer = null;
        }
    }

    /** Too many sessions in a row could not go on. */
    private static final class GaveUp extends RuntimeException {
    }

    /** The producer of this session cannot go on. */
    private static final class SessionEnded extends RuntimeException {
        SessionEnded(Throwable cause) {
            super(cause);
        }
    }

    @Override
    public void close() {
        closing = true;
        closed.countDown();
        wake();
        try {
            if (!stopped.await(15, TimeUnit.SECONDS)) {
                LOG.atWarn().log("ownership loop did not stop within 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
