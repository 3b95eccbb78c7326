package io.meshpilot.controlplane.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.controlplane.shard.ControlPlaneShard;
import io.meshpilot.controlplane.shard.DecisionMetrics;
import io.meshpilot.controlplane.shard.ResultTimers;
import io.meshpilot.core.routing.CacheTtls;
import io.meshpilot.testing.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A claim is granted once the observer has read what it needs; one that waits past a transaction's life is named. */
class ClaimsTest {

    private static final TopicPartition DIRECTIVES = new TopicPartition("meshpilot.us.directives", 3);

    private final ManualTime time = new ManualTime(Instant.parse("2026-12-03T12:00:00Z"));
    private final Outbox outbox = new Outbox();
    private final ControlPlaneShard shard = new ControlPlaneShard(new ResultTimers(time, outbox::add), time,
            DecisionMetrics.NONE, CacheTtls.NEVER);
    private final Claims claims = new Claims(shard, outbox, time);

    @Test
    void aClaimIsGrantedOnlyOnceTheObserverHasReadEveryOffsetItNeeds() {
        claims.claimPartition(3, Map.of(DIRECTIVES, 10L));
        claims.progress(Map.of(DIRECTIVES, 9L));

        assertThat(claims.settled()).isFalse();
        assertThat(shard.decisions().ownedPartitions()).isEmpty();

        claims.progress(Map.of(DIRECTIVES, 10L));

        assertThat(claims.settled()).isTrue();
        assertThat(shard.decisions().ownedPartitions()).containsExactly(3);
    }

    @Test
    void aClaimWaitingLongerThanATransactionCanStayOpenIsNamedUntilItIsGranted() {
        claims.claimPartition(3, Map.of(DIRECTIVES, 10L));
        time.advance(Claims.LONG_WAIT);
        claims.progress(Map.of(DIRECTIVES, 4L));
        assertThat(claims.waitingLong()).as("at the limit").isEmpty();

        time.advance(Duration.ofSeconds(1));
        claims.progress(Map.of(DIRECTIVES, 4L));
        assertThat(claims.waitingLong()).containsExactly(new Claims.RegionPartition(3));

        claims.progress(Map.of(DIRECTIVES, 10L));
        assertThat(claims.waitingLong()).isEmpty();
        assertThat(claims.settled()).isTrue();
    }
}
