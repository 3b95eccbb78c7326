package io.meshpilot.controlplane.shard;

import io.meshpilot.runtime.timers.KeyedTimers;
import io.meshpilot.runtime.timers.Scheduler;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Shard timers on keyed timers: what a timer's operation returns goes to the sink (the runtime's outbox). */
public final class ResultTimers implements ShardTimers {

    private final KeyedTimers<TimerKey> timers;
    private final Consumer<Result> sink;

    public ResultTimers(Scheduler scheduler, Consumer<Result> sink) {
        this.timers = new KeyedTimers<>(scheduler);
        this.sink = sink;
    }

    @Override
    public void schedule(TimerKey key, Duration delay, Supplier<Result> operation) {
        timers.schedule(key, delay, () -> {
            Result result = operation.get();
            if (!result.isEmpty()) {
                sink.accept(result);
            }
        });
    }

    @Override
    public void cancel(TimerKey key) {
        timers.cancel(key);
    }

    public int pending() {
        return timers.size();
    }
}
