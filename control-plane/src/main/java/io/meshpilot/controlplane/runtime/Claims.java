package io.meshpilot.controlplane.runtime;

import io.meshpilot.controlplane.shard.ControlPlaneShard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions the consumer group gave this replica, and when it may act on them: only once its own reading of
 * every topic (the observer) has caught up with what was written when they were assigned (their high watermarks: every
 * transaction open then has committed or aborted), so it decides from the previous owner's last directives and the
 * current policies and heartbeats, and never publishes a version one of them had. Confined to the event loop.
 */
public final class Claims {

    private static final Logger LOG = LoggerFactory.getLogger(Claims.class);

    /** What was claimed: a partition index of the region topics, or the policies topic. */
    sealed interface Claimed {
    }

    record RegionPartition(int index) implements Claimed {
    }

    record PolicyAnswers() implements Claimed {
    }

    /** A claim waiting for the observer to catch up with what was written when it was made, since when. */
    record Claim(Claimed what, Map<TopicPartition, Long> required, Instant since) {
    }

    /**
     * How long a claim may wait before it is logged: longer than a transaction may stay open (60 s by default) means
     * one never ended, e.g. a hanging transaction, and the partition behind it is named.
     */
    static final Duration LONG_WAIT = Duration.ofMinutes(2);

    private final ControlPlaneShard shard;
    private final Outbox outbox;
    private final List<Claim> waiting = new ArrayList<>();
    private final Map<TopicPartition, Long> observed = new HashMap<>();
    private final CompletableFuture<Void> firstSettled = new CompletableFuture<>();
    private final Set<Claim> loggedAsLong = new HashSet<>();
    private final Clock clock;

    public Claims(ControlPlaneShard shard, Outbox outbox, Clock clock) {
        this.shard = shard;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The group assigned a partition index of the region topics. */
    void claimPartition(int partition, Map<TopicPartition, Long> required) {
        waiting.add(new Claim(new RegionPartition(partition), Map.copyOf(required), clock.instant()));
        grant();
    }

    /** The group assigned the policies topic: this replica will answer policy records. */
    void claimPolicies(Map<TopicPartition, Long> required) {
        waiting.add(new Claim(new PolicyAnswers(), Map.copyOf(required), clock.instant()));
        grant();
    }

    /** The group took partitions away (a rebalance): stop acting on them at once. */
    void release(List<Integer> partitions, boolean policies) {
        waiting.removeIf(claim -> claim.what() instanceof RegionPartition partition ? partitions.contains(
                partition.index()) : policies);
        loggedAsLong.retainAll(waiting);
        shard.release(partitions, policies);
    }

    /** This replica's membership ended (its producer is being re-created): it acts on nothing until claims again. */
    void releaseAll() {
        waiting.clear();
        loggedAsLong.clear();
        shard.release(List.copyOf(shard.decisions().ownedPartitions()), shard.statuses().writer());
    }

    /** How far the observer has read, after each of its polls. */
    public void progress(Map<TopicPartition, Long> positions) {
        observed.putAll(positions);
        grant();
    }

    /** The claims waiting longer than {@link #LONG_WAIT} (each logged once), as of the observer's last progress. */
    List<Claimed> waitingLong() {
        return waiting.stream().filter(loggedAsLong::contains).map(Claim::what).toList();
    }

    /** Whether every claim is granted: this replica acts on all it was given. */
    public boolean settled() {
        return waiting.isEmpty();
    }

    /** Completes the first time every claim this replica was given is granted. */
    public CompletionStage<Void> firstSettled() {
        return firstSettled;
    }

    private void grant() {
        for (Iterator<Claim> claims = waiting.iterator(); claims.hasNext(); ) {
            Claim claim = claims.next();
            Optional<TopicPartition> behind = claim.required().entrySet().stream().filter(required ->
                    observed.getOrDefault(required.getKey(), -1L) < required.getValue()).map(Map.Entry::getKey)
                    .findFirst();
            if (behind.isPresent()) {
                logIfLong(claim, behind.get());
            } else {
                claims.remove();
                loggedAsLong.remove(claim);
                if (claim.what() instanceof RegionPartition partition) {
                    LOG.atDebug().addKeyValue("partition", partition.index()).log("deciding for partition");
                    outbox.add(shard.own(partition.index()));
                } else {
                    outbox.add(shard.answerPolicies());
                }
            }
        }
        if (waiting.isEmpty() && !shard.decisions().ownedPartitions().isEmpty()) {
            firstSettled.complete(null);
        }
    }

    private void logIfLong(Claim claim, TopicPartition behind) {
        if (Duration.between(claim.since(), clock.instant()).compareTo(LONG_WAIT) > 0 && loggedAsLong.add(claim)) {
            LOG.atWarn().addKeyValue("claim", claim.what()).addKeyValue("partition", behind)
                    .addKeyValue("read", observed.getOrDefault(behind, -1L))
                    .addKeyValue("needed", claim.required().get(behind))
                    .log("still not deciding for a claim: a transaction open on the partition has not ended");
        }
    }
}
