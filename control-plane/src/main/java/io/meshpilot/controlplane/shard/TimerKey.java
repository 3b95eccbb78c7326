package io.meshpilot.controlplane.shard;

import io.meshpilot.schemas.ServiceKey;

/** What a shard timer is for: at most one is pending per key. */
public sealed interface TimerKey {

    /** The Service's decision names a review time (a delay ends, a capacity window closes). */
    record Review(ServiceKey service) implements TimerKey {
    }

    /** The region falls silent at the next staleAfter in force unless its agent is heard first. */
    record Silence(String region) implements TimerKey {
    }

    /** Services waiting to be decided again, a chunk at a time (a partition taken over, a region heard again). */
    record Backlog() implements TimerKey {
    }

    /** A region came back: the Services whose withdrawal the maxWithdrawnRegions rule held back are decided again. */
    record HeldBack() implements TimerKey {
    }

    /** A failover or failback was committed: whether its regions have applied it already. */
    record IncidentProgress(ServiceKey service) implements TimerKey {
    }

    /** A practice run's next step: its start, its window's end, or the end of waiting for its failback. */
    record Practice(String name) implements TimerKey {
    }

    /** A pin (a policy with an end) runs out. */
    record PolicyExpiry(String scope) implements TimerKey {
    }
}
