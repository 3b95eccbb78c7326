package io.meshpilot.testing;

import io.meshpilot.runtime.timers.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A clock the test moves, and the timers it fires as it moves: time passes without waiting. The manual twin of
 * {@link Scheduler#on}; timers due at the same instant fire in the order they were set.
 */
public final class ManualTime extends Clock implements Scheduler {

    private record Timer(long id, Instant due, Runnable action) {
    }

    private final PriorityQueue<Timer> timers =
            new PriorityQueue<>(Comparator.comparing(Timer::due).thenComparing(Timer::id));
    private Instant now;
    private long ids;

    public ManualTime(Instant start) {
        this.now = start;
    }

    /** Moves time forward, firing every timer that falls due on the way, in order, each at its due time. */
    public void advance(Duration elapsed) {
        Instant end = now.plus(elapsed);
        while (!timers.isEmpty() && !timers.peek().due().isAfter(end)) {
            Timer next = timers.poll();
            now = next.due();
            next.action().run();
        }
        now = end;
    }

    /** Fires what is due now without moving time. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    public int pending() {
        return timers.size();
    }

    @Override
    public Scheduled after(Duration delay, Runnable action) {
        Timer timer = new Timer(++ids, now.plus(delay.isNegative() ? Duration.ZERO : delay), action);
        timers.add(timer);
        return () -> timers.remove(timer);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
