package io.meshpilot.controlplane.runtime;

import io.meshpilot.controlplane.shard.ControlPlaneShard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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

    /** A claim waiting for the observer to catch up with what was committed when it was made. */
    record Claim(Claimed what, Map<TopicPartition, Long> required) {
    }

    private final ControlPlaneShard shard;
    private final Outbox outbox;
    private final List<Claim> waiting = new ArrayList<>();
    private final Map<TopicPartition, Long> observed = new HashMap<>();
    private final CompletableFuture<Void> firstSettled = new CompletableFuture<>();

    public Claims(ControlPlaneShard shard, Outbox outbox) {
        this.shard = shard;
        this.outbox = outbox;
    }

    /** The group assigned a partition index of the region topics. */
    void claimPartition(int partition, Map<TopicPartition, Long> required) {
        waiting.add(new Claim(new RegionPartition(partition), Map.copyOf(required)));
        grant();
    }

    /** The group assigned the policies topic: this replica will answer policy records. */
    void claimPolicies(Map<TopicPartition, Long> required) {
        waiting.add(new Claim(new PolicyAnswers(), Map.copyOf(required)));
        grant();
    }

    /** The group took partitions away (a rebalance): stop acting on them at once. */
    void release(List<Integer> partitions, boolean policies) {
        waiting.removeIf(claim -> claim.what() instanceof RegionPartition partition ? partitions.contains(
                partition.index()) : policies);
        shard.release(partitions, policies);
    }

    /** This replica's membership ended (its producer is being re-created): it acts on nothing until claims again. */
    void releaseAll() {
        waiting.clear();
        shard.release(List.copyOf(shard.decisions().ownedPartitions()), shard.statuses().writer());
    }

    /** How far the observer has read, after each of its polls. */
    public void progress(Map<TopicPartition, Long> positions) {
        observed.putAll(positions);
        grant();
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
            if (claim.required().entrySet().stream().allMatch(required ->
                    observed.getOrDefault(required.getKey(), -1L) >= required.getValue())) {
                claims.remove();
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
}
