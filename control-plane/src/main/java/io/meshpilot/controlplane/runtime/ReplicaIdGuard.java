package io.meshpilot.controlplane.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses to start a replica whose id another running replica uses. Each replica's observer has a consumer group of
 * its own, named after its id; two replicas with one id would split that group's partitions (each silently seeing
 * half the topics) and fence each other's transactions. A member left by a replica that just died leaves the group
 * within the observer's session timeout, so the check waits that long before refusing.
 */
public final class ReplicaIdGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaIdGuard.class);
    private static final Duration ASK = Duration.ofSeconds(5);

    private ReplicaIdGuard() {
    }

    /** @throws IllegalStateException naming {@code --replica-id} when the observer group keeps members */
    public static void check(Admin admin, String observerGroup, String replicaId, Duration sessionTimeout) {
        Instant giveUp = Instant.now().plus(sessionTimeout).plusSeconds(2);
        int members = members(admin, observerGroup);
        while (members > 0 && Instant.now().isBefore(giveUp)) {
            LOG.atInfo().addKeyValue("group", observerGroup).addKeyValue("members", members)
                    .log("waiting for a previous replica with this id to leave");
            pause();
            members = members(admin, observerGroup);
        }
        if (members > 0) {
            throw new IllegalStateException("another control-plane replica runs with --replica-id " + replicaId
                    + " (MESHPILOT_REPLICA_ID): its observer group " + observerGroup + " has " + members
                    + " member(s); give every replica its own id");
        }
    }

    private static int members(Admin admin, String group) {
        try {
            ConsumerGroupDescription description = admin.describeConsumerGroups(java.util.List.of(group))
                    .describedGroups().get(group).get(ASK.toMillis(), TimeUnit.MILLISECONDS);
            return description.members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            LOG.atWarn().addKeyValue("error", String.valueOf(e.getCause()))
                    .log("cannot check whether another replica uses this id; starting anyway");
            return 0;
        } catch (TimeoutException e) {
            LOG.atWarn().log("Kafka did not say whether another replica uses this id; starting anyway");
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the replica id", e);
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the replica id", e);
        }
    }
}
