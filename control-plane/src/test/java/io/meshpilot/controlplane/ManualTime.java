package io.meshpilot.controlplane;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.PriorityQueue;

/** A clock the test moves, and the timers it fires as it moves: time passes without waiting. */
public final class ManualTime extends Clock implements Timers {

    private record Scheduled(long id, Instant due, Runnable action) {
    }

    private final PriorityQueue<Scheduled> scheduled =
            new PriorityQueue<>(Comparator.comparing(Scheduled::due).thenComparing(Scheduled::id));
    private Instant now;
    private long ids;

    public ManualTime(Instant start) {
        this.now = start;
    }

    /** Moves time forward, firing every timer that falls due on the way, in order. */
    public void advance(Duration elapsed) {
        Instant end = now.plus(elapsed);
        while (!scheduled.isEmpty() && !scheduled.peek().due().isAfter(end)) {
            Scheduled next = scheduled.poll();
            now = next.due();
            next.action().run();
        }
        now = end;
    }

    public int pending() {
        return scheduled.size();
    }

    @Override
    public long after(Duration delay, Runnable action) {
        long id = ++ids;
        scheduled.add(new Scheduled(id, now.plus(delay), action));
        return id;
    }

    @Override
    public void cancel(long id) {
        scheduled.removeIf(timer -> timer.id() == id);
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
