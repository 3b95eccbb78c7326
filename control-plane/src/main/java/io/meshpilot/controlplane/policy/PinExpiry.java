package io.meshpilot.controlplane.policy;

import io.meshpilot.runtime.timers.KeyedTimers;
import io.meshpilot.runtime.timers.Scheduler;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * Ends pins at their {@code expiresAt}: one keyed timer per scope (a newer policy or a tombstone replaces or cancels
 * it). At expiry the scope's pin leaves the book's policies in force, so its Services take the next policy down, and
 * the listener is told (to re-decide them and to say so in the scope's {@code PolicyStatus}). A pin that has already
 * expired when it is accepted (read again after a restart, or written late) is out of force at once, and the listener
 * is told right after, never inside the acceptance. Counts the pins in force and those that expired. Confined to the
 * event loop its scheduler runs on.
 */
public final class PinExpiry implements PolicyBook.PinListener {

    private final PolicyBook book;
    private final KeyedTimers<String> timers;
    private final Clock clock;
    private final Counter expired;
    private final AtomicReference<PolicyBook.Pins> inForce = new AtomicReference<>(new PolicyBook.Pins(0, 0));
    private BiConsumer<String, Instant> listener = (scope, at) -> { };

    public PinExpiry(PolicyBook book, Scheduler scheduler, Clock clock, PrometheusRegistry registry) {
        this.book = book;
        this.timers = new KeyedTimers<>(scheduler);
        this.clock = clock;
        GaugeWithCallback.builder().name("meshpilot_policy_pins")
                .help("Policies in force that pin their Services (mode local, remote, balanced or unmanaged), by "
                        + "whether they expire (expiresAt).")
                .labelNames("expiring").callback(callback -> {
                    PolicyBook.Pins pins = inForce.get();
                    callback.call(pins.all() - pins.expiring(), "false");
                    callback.call(pins.expiring(), "true");
                }).register(registry);
        expired = Counter.builder().name("meshpilot_policy_pins_expired_total")
                .help("Pins that reached their expiresAt; their scopes returned to the next policy down.")
                .register(registry);
        book.pins(this);
    }

    /** Told of each expired pin, with its expiresAt, once it is out of force. */
    public void onExpired(BiConsumer<String, Instant> listener) {
        this.listener = listener;
    }

    @Override
    public void accepted(String scope, Optional<Instant> expiresAt) {
        timers.cancel(scope);
        expiresAt.ifPresent(at -> {
            Duration left = Duration.between(clock.instant(), at);
            if (!left.isNegative() && !left.isZero()) {
                timers.schedule(scope, left, () -> {
                    book.expire(scope);
                    expired(scope, at);
                });
            } else {
                book.expire(scope);
                timers.schedule(scope, Duration.ZERO, () -> expired(scope, at));
            }
        });
        refresh();
    }

    @Override
    public void deleted(String scope) {
        timers.cancel(scope);
        refresh();
    }

    /** The scopes whose pin has a timer pending. */
    public java.util.Set<String> pending() {
        return timers.keys();
    }

    private void expired(String scope, Instant at) {
        expired.inc();
        refresh();
        listener.accept(scope, at);
    }

    private void refresh() {
        inForce.set(book.pinsInForce());
    }
}
