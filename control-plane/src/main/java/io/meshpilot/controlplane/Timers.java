package io.meshpilot.controlplane;

import io.vertx.core.Context;
import java.time.Duration;

/**
 * One-shot timers on the control plane's event loop. An interface so tests can move a clock and fire what is due
 * instead of waiting.
 */
public interface Timers {

    /** Runs the action on the event loop after the delay; returns an id for {@link #cancel}. */
    long after(Duration delay, Runnable action);

    void cancel(long id);

    /** Timers of a Vert.x context: actions run on that context. Call from the context. */
    static Timers on(Context loop) {
        return new Timers() {
            @Override
            public long after(Duration delay, Runnable action) {
                return loop.owner().setTimer(Math.max(1, delay.toMillis()), ignored -> action.run());
            }

            @Override
            public void cancel(long id) {
                loop.owner().cancelTimer(id);
            }
        };
    }
}
