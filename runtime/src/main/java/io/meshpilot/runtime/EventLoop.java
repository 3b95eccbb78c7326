package io.meshpilot.runtime;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Hands work from another thread (a Kafka poll loop, a start-up thread) to a component's event loop. */
public final class EventLoop {

    private EventLoop() {
    }

    /** Runs the action on the loop; the stage completes when it has run, or fails with what it threw. */
    public static CompletionStage<Void> run(Context loop, Runnable action) {
        return call(loop, () -> {
            action.run();
            return null;
        });
    }

    /** Computes a value on the loop. */
    public static <T> CompletionStage<T> call(Context loop, Supplier<T> action) {
        Promise<T> done = Promise.promise();
        loop.runOnContext(ignored -> {
            try {
                done.complete(action.get());
            } catch (RuntimeException e) {
                done.fail(e);
            }
        });
        return done.future().toCompletionStage();
    }
}
