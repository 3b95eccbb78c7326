package io.meshpilot.kafka;

import io.meshpilot.schemas.Topics;
import io.meshpilot.schemas.Topics.RegionRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Creates the topics of SPEC §4 with their cleanup policies. Every per-region topic has the same partition count, so
 * one key lands in the same partition of every region's topic and one control-plane replica owns a Service
 * everywhere. Topics that exist are left as they are.
 */
public final class TopicProvisioner {

    /** How the topics are laid out. */
    public record Layout(int partitions, short replicationFactor) {

        public static final Layout SINGLE_BROKER = new Layout(6, (short) 1);

        public Layout {
            if (partitions < 1) {
                throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
            }
            if (replicationFactor < 1) {
                throw new IllegalArgumentException("--replication-factor must be at least 1, got " + replicationFactor);
            }
        }
    }

    /** How long provisioning waits with nothing created and no partition's leader answering before it gives up. */
    private static final Duration STALL = Duration.ofSeconds(30);
    /** How long one round of asking the partitions' leaders waits for their answers. */
    private static final Duration ROUND = Duration.ofSeconds(5);
    /** Topics per CreateTopics or DescribeTopics request. */
    private static final int BATCH = 100;
    private static final String SEVEN_DAYS_MS = Long.toString(Duration.ofDays(7).toMillis());

    private final Admin admin;
    private final Topics topics;
    private final Layout layout;

    public TopicProvisioner(Admin admin, Topics topics, Layout layout) {
        this.admin = admin;
        this.topics = topics;
        this.layout = layout;
    }

    /** The shared topics and every topic of the given regions; returns the names created now. */
    public List<String> provision(Collection<String> regions) {
        List<NewTopic> wanted = new ArrayList<>(sharedTopics());
        regions.forEach(region -> wanted.addAll(regionTopics(region)));
        return create(wanted);
    }

    List<NewTopic> sharedTopics() {
        Map<String, String> compact = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        Map<String, String> sevenDays = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, SEVEN_DAYS_MS);
        return List.of(
                topic(topics.policies(), 1, compact),
                topic(topics.policyStatus(), 1, compact),
                topic(topics.practiceRuns(), 1, compact),
                topic(topics.practiceStatus(), 1, compact),
                topic(topics.decisions(), layout.partitions(), sevenDays),
                topic(topics.deadLetter(), 1, sevenDays));
    }

    List<NewTopic> regionTopics(String region) {
        Map<String, String> compact = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        List<NewTopic> regionTopics = new ArrayList<>();
        for (RegionRole role : RegionRole.values()) {
            regionTopics.add(topic(topics.regionTopic(region, role), layout.partitions(), compact));
        }
        return regionTopics;
    }

    private NewTopic topic(String name, int partitions, Map<String, String> configs) {
        return new NewTopic(name, partitions, layout.replicationFactor()).configs(configs);
    }

    private List<String> create(List<NewTopic> wanted) {
        List<String> created = new ArrayList<>();
        for (int from = 0; from < wanted.size(); from += BATCH) {
            createBatch(wanted.subList(from, Math.min(wanted.size(), from + BATCH)), created);
        }
        awaitLeaders(wanted.stream().map(NewTopic::name).toList());
        return created.stream().sorted().toList();
    }

    /** One CreateTopics request: the controller creates these topics (and their partitions) within its timeout. */
    private void createBatch(List<NewTopic> batch, List<String> created) {
        admin.createTopics(batch, new CreateTopicsOptions().timeoutMs((int) STALL.toMillis())).values()
                .forEach((name, result) -> {
                    try {
                        result.get(STALL.toMillis(), TimeUnit.MILLISECONDS);
                        created.add(name);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw new IllegalStateException("cannot create topic " + name + ": "
                                    + e.getCause().getMessage(), e.getCause());
                        }
                    } catch (TimeoutException e) {
                        throw new IllegalStateException("creating topic " + name + " took over " + STALL, e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while creating topic " + name, e);
                    }
                });
    }

    /**
     * Returns once the leader of every partition of the topics answers for it: a producer that writes to a topic the
     * moment it is created otherwise meets NOT_LEADER_OR_FOLLOWER, and its idempotent retries can then spin on a
     * sequence gap until they expire (KAFKA-15591). A leader in the metadata is not enough; the offsets request is
     * answered only once the leader has opened the partition. A broker opens thousands of partitions (255 regions)
     * over minutes, not seconds: partitions that answered are not asked again, and it gives up only when none has
     * answered for {@code STALL}, however many there are.
     */
    private void awaitLeaders(List<String> names) {
        Set<TopicPartition> pending = partitionsOf(names);
        long lastProgress = System.nanoTime();
        while (!pending.isEmpty()) {
            int before = pending.size();
            askLeaders(pending);
            if (pending.isEmpty()) {
                return;
            }
            if (pending.size() < before) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                throw new IllegalStateException(pending.size() + " partitions have no leader answering after "
                        + STALL + " without progress, among them " + pending.stream().limit(5).toList());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** Every partition of the topics, described a batch of topics at a time. */
    private Set<TopicPartition> partitionsOf(List<String> names) {
        Set<TopicPartition> partitions = new HashSet<>();
        long lastProgress = System.nanoTime();
        for (int from = 0; from < names.size(); ) {
            List<String> batch = names.subList(from, Math.min(names.size(), from + BATCH));
            try {
                admin.describeTopics(batch).allTopicNames().get(STALL.toMillis(), TimeUnit.MILLISECONDS).values()
                        .forEach(topic -> topic.partitions().forEach(partition -> partitions.add(
                                new TopicPartition(topic.name(), partition.partition()))));
                from += batch.size();
                lastProgress = System.nanoTime();
            } catch (ExecutionException e) {
                rethrowUnlessRetriable(e);
                if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    throw new IllegalStateException("the topics cannot be described after " + STALL + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            } catch (TimeoutException e) {
                throw new IllegalStateException("the topics cannot be described within " + STALL, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic leaders", e);
            }
        }
        return partitions;
    }

    /** Asks the leaders of the pending partitions for their offsets; removes the partitions that answered. */
    private void askLeaders(Set<TopicPartition> pending) {
        Map<TopicPartition, OffsetSpec> asked = new HashMap<>();
        pending.forEach(partition -> asked.put(partition, OffsetSpec.latest()));
        long roundEnd = System.nanoTime() + ROUND.toNanos();
        ListOffsetsResult answers = admin.listOffsets(asked,
                new ListOffsetsOptions().timeoutMs((int) ROUND.toMillis()));
        for (TopicPartition partition : asked.keySet()) {
            try {
                answers.partitionResult(partition).get(Math.max(0, roundEnd - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                pending.remove(partition);
            } catch (ExecutionException e) {
                rethrowUnlessRetriable(e);
            } catch (TimeoutException e) {
                // not answering yet: asked again next round
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic leaders", e);
            }
        }
    }

    private static void rethrowUnlessRetriable(ExecutionException e) {
        if (e.getCause() instanceof AuthorizationException) {
            throw new IllegalStateException("the topics are created, but this principal may not describe them "
                    + "to check that their leaders answer (grant Describe on them): " + e.getCause().getMessage(),
                    e.getCause());
        }
        if (!(e.getCause() instanceof RetriableException)) {
            throw new IllegalStateException("cannot read the topics' offsets: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
