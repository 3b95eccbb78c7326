package io.meshpilot.controlplane.policy;

import io.meshpilot.controlplane.shard.Result;
import io.meshpilot.controlplane.shard.ShardTimers;
import io.meshpilot.controlplane.shard.TimerKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Ends pins at their {@code expiresAt}: one keyed shard timer per scope (a newer policy or a tombstone replaces or
 * cancels it). At expiry the scope's pin leaves the book's policies in force, so its Services take the next policy
 * down, and the listener returns what to publish (the re-decided Services, the scope's {@code PolicyStatus}). A pin
 * that has already expired when it is accepted (read again after a restart, or written late) is out of force at once,
 * and the listener is told right after, never inside the acceptance. Part of the shard.
 */
public final class PinExpiry implements PolicyBook.PinListener {

    /** What the runtime exports about pins. */
    public interface Metrics {
        Metrics NONE = new Metrics() {
            @Override
            public void inForce(PolicyBook.Pins pins) {
            }

            @Override
            public void expired() {
            }
        };

        void inForce(PolicyBook.Pins pins);

        void expired();
    }

    private final PolicyBook book;
    private final ShardTimers timers;
    private final Clock clock;
    private final Metrics metrics;
    private final Set<String> pending = new HashSet<>();
    private BiFunction<String, Instant, Result> listener = (scope, at) -> Result.NONE;

    public PinExpiry(PolicyBook book, ShardTimers timers, Clock clock, Metrics metrics) {
        this.book = book;
        this.timers = timers;
        this.clock = clock;
        this.metrics = metrics;
        book.pins(this);
    }

    /** Asked, for each expired pin with its expiresAt, once it is out of force: what to publish because of it. */
    public void onExpired(BiFunction<String, Instant, Result> listener) {
        this.listener = listener;
    }

    @Override
    public void accepted(String scope, Optional<Instant> expiresAt) {
        cancel(scope);
        expiresAt.ifPresent(at -> {
            Duration left = Duration.between(clock.instant(), at);
            pending.add(scope);
            if (!left.isNegative() && !left.isZero()) {
                timers.schedule(new TimerKey.PolicyExpiry(scope), left, () -> {
                    book.expire(scope);
                    return expired(scope, at);
                });
            } else {
                book.expire(scope);
                timers.schedule(new TimerKey.PolicyExpiry(scope), Duration.ZERO, () -> expired(scope, at));
            }
        });
        metrics.inForce(book.pinsInForce());
    }

    @Override
    public void deleted(String scope) {
        cancel(scope);
        metrics.inForce(book.pinsInForce());
    }

    /** The scopes whose pin has a timer pending. */
    public Set<String> pending() {
        return Set.copyOf(pending);
    }

    private void cancel(String scope) {
        pending.remove(scope);
        timers.cancel(new TimerKey.PolicyExpiry(scope));
    }

    private Result expired(String scope, Instant at) {
        pending.remove(scope);
        metrics.expired();
        metrics.inForce(book.pinsInForce());
        return listener.apply(scope, at);
    }
}
