package io.meshpilot.runtime.timers;

import io.vertx.core.Context;
import java.time.Duration;

/**
 * Where one-shot timers run: a Vert.x event loop in production, a manual clock in tests
 * ({@code io.meshpilot.testing.ManualTime}), so time-dependent code is tested by moving time instead of waiting.
 */
public interface Scheduler {

    /** Runs the action once after the delay (at least a millisecond on a real loop). */
    Scheduled after(Duration delay, Runnable action);

    /** A timer that has not fired may still be cancelled; cancelling one that fired does nothing. */
    @FunctionalInterface
    interface Scheduled {
        void cancel();
    }

    /** Timers on a Vert.x context: actions run on that context. Call from the context. */
    static Scheduler on(Context loop) {
        return (delay, action) -> {
            long id = loop.owner().setTimer(Math.max(1, delay.toMillis()), ignored -> action.run());
            return () -> loop.owner().cancelTimer(id);
        };
    }
}
