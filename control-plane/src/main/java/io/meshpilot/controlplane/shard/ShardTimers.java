package io.meshpilot.controlplane.shard;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The shard's keyed timers, as Kafka's {@code CoordinatorTimer}: a timer's operation runs on the shard's thread when
 * due and returns a result, which the runtime publishes like any handler's. Scheduling a key again replaces its timer.
 */
public interface ShardTimers {

    void schedule(TimerKey key, Duration delay, Supplier<Result> operation);

    void cancel(TimerKey key);
}
