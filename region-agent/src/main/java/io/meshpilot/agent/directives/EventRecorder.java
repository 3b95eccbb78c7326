package io.meshpilot.agent.directives;

import io.meshpilot.runtime.timers.KeyedTimers;
import io.meshpilot.schemas.ServiceKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Events on Services the way client-go's EventRecorder and EventCorrelator do, behind the patches: identical
 * Events (same Service, type, reason and message) are aggregated into one with a count, and within ten minutes of the
 * last one written an identical Event updates that one's count instead of creating another; each Service has a token
 * bucket (25 at once, one more every five minutes) beyond which Events are dropped. Events are written only while no
 * patch waits for a worker and the write rate limiter has a spare permit, so they never delay a patch. Confined to the
 * agent's event loop.
 */
final class EventRecorder {

    /** Writes an Event (creates it, or updates {@link ServiceEvent#existing}); completes on the loop with its name. */
    interface Sink {
        CompletionStage<String> write(ServiceEvent event);
    }

    static final int BURST = 25;
    static final Duration REFILL = Duration.ofMinutes(5);
    static final Duration CORRELATION_WINDOW = Duration.ofMinutes(10);
    static final int REMEMBERED = 4096;
    static final Duration RECHECK = Duration.ofMillis(50);
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final String DRAIN = "drain";

    private record Written(String name, int count, Instant first, Instant at) {
    }

    private final Sink sink;
    private final Clock clock;
    private final KeyedTimers<String> timers;
    private final BooleanSupplier patchesWaiting;
    private final BooleanSupplier sparePermit;
    private final int parallelism;
    private final Map<ServiceEvent.Identity, ServiceEvent> pending = new LinkedHashMap<>();
    private final Map<ServiceEvent.Identity, Written> written = lru();
    private final Map<ServiceKey, Bucket> buckets = lru();
    private int writing;
    private long dropped;

    EventRecorder(Sink sink, Clock clock, KeyedTimers<String> timers, BooleanSupplier patchesWaiting,
            BooleanSupplier sparePermit, int parallelism) {
        this.sink = sink;
        this.clock = clock;
        this.timers = timers;
        this.patchesWaiting = patchesWaiting;
        this.sparePermit = sparePermit;
        this.parallelism = parallelism;
    }

    /** Queues an Event; identical ones not yet written become one with a higher count. */
    void record(ServiceEvent.Identity identity, String uid) {
        Instant now = clock.instant();
        pending.merge(identity, new ServiceEvent(identity, uid, 1, now, now, null),
                (queued, again) -> queued.again(now));
        drain();
    }

    /** Writes what it may now; called again by the applier whenever a patch finishes. */
    void drain() {
        while (writing < parallelism && !pending.isEmpty()) {
            if (patchesWaiting.getAsBoolean()) {
                return;
            }
            if (!sparePermit.getAsBoolean()) {
                if (!timers.isScheduled(DRAIN)) {
                    timers.schedule(DRAIN, RECHECK, this::drain);
                }
                return;
            }
            Iterator<ServiceEvent> first = pending.values().iterator();
            ServiceEvent next = first.next();
            first.remove();
            if (!bucket(next.identity().service()).take(clock.instant())) {
                dropped++;
                LOG.atDebug().addKeyValue("service", next.identity().service())
                        .addKeyValue("reason", next.identity().reason())
                        .log("event dropped: too many for this Service");
                continue;
            }
            write(correlated(next));
        }
    }

    /** Pending Events are forgotten (this replica stopped leading). */
    void clear() {
        pending.clear();
        timers.cancel(DRAIN);
    }

    int pendingCount() {
        return pending.size();
    }

    long droppedCount() {
        return dropped;
    }

    private ServiceEvent correlated(ServiceEvent event) {
        Written before = written.get(event.identity());
        if (before == null || before.name() == null
                || Duration.between(before.at(), event.first()).compareTo(CORRELATION_WINDOW) > 0) {
            return event;
        }
        return new ServiceEvent(event.identity(), event.uid(), before.count() + event.count(), before.first(),
                event.last(), before.name());
    }

    private void write(ServiceEvent event) {
        writing++;
        sink.write(event).whenComplete((name, failure) -> {
            writing--;
            if (failure == null) {
                written.put(event.identity(), new Written(name, event.count(), event.first(), event.last()));
            } else {
                LOG.atWarn().addKeyValue("service", event.identity().service())
                        .addKeyValue("reason", event.identity().reason()).addKeyValue("error", failure.toString())
                        .log("cannot record event");
            }
            drain();
        });
    }

    private Bucket bucket(ServiceKey service) {
        return buckets.computeIfAbsent(service, ignored -> new Bucket(BURST, clock.instant()));
    }

    private static <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > REMEMBERED;
            }
        };
    }

    /** client-go's spam filter: a token bucket per object. */
    private static final class Bucket {
        private double tokens;
        private Instant refilled;

        Bucket(double tokens, Instant at) {
            this.tokens = tokens;
            this.refilled = at;
        }

        boolean take(Instant now) {
            double gained = (double) Duration.between(refilled, now).toMillis() / REFILL.toMillis();
            tokens = Math.min(BURST, tokens + gained);
            refilled = now;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }
}
