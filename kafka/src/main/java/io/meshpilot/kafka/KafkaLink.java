package io.meshpilot.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether Kafka answers, judged from the outcomes of a sender's sends: down after a failed send or when no send has
 * succeeded for longer than the tolerance (a component that sends a heartbeat always has something in flight), up
 * again at the next success, which runs the recovery hook once.
 */
public final class KafkaLink implements SendListener {

    private final Clock clock;
    private final Duration tolerance;
    private final Runnable onRecovery;
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();
    private final AtomicBoolean down = new AtomicBoolean(false);
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private final CompletableFuture<Void> firstAcknowledged = new CompletableFuture<>();

    /** @param onRecovery runs on the producer's I/O thread when Kafka answers again after being down */
    public KafkaLink(Clock clock, Duration tolerance, Runnable onRecovery) {
        this.clock = clock;
        this.tolerance = tolerance;
        this.onRecovery = onRecovery;
    }

    @Override
    public void sent(String topic) {
        lastSuccess.set(clock.instant());
        firstAcknowledged.complete(null);
        if (down.compareAndSet(true, false)) {
            onRecovery.run();
        }
    }

    @Override
    public void failed(String topic, Throwable failure) {
        lastFailure.set(failure.toString());
        down.set(true);
    }

    /** Marks the link down if nothing succeeded within the tolerance; call it periodically. */
    public void check() {
        Instant last = lastSuccess.get();
        if (last != null && Duration.between(last, clock.instant()).compareTo(tolerance) > 0) {
            lastFailure.compareAndSet(null, "no send acknowledged for over " + tolerance.toSeconds() + " s");
            down.set(true);
        }
    }

    /** Completes when Kafka acknowledges a record for the first time. */
    public CompletionStage<Void> firstAcknowledged() {
        return firstAcknowledged;
    }

    public boolean reachable() {
        return lastSuccess.get() != null && !down.get();
    }

    /** Why Kafka is not reachable, or empty when it is. */
    public Optional<String> problem() {
        if (reachable()) {
            return Optional.empty();
        }
        return Optional.of(lastSuccess.get() == null && lastFailure.get() == null
                ? "no record acknowledged yet" : String.valueOf(lastFailure.get()));
    }
}
