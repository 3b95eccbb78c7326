package io.meshpilot.runtime.timers;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One-shot timers by key, as Kafka's coordinator runtime keeps them: scheduling a key again replaces its timer, so
 * at most one is pending per key and a superseded one never fires; a fired timer is forgotten before its action
 * runs, so the action may schedule the key again. Not thread-safe: use it from the thread its scheduler runs
 * actions on (the event loop).
 */
public final class KeyedTimers<K> {

    private final Scheduler scheduler;
    private final Map<K, Scheduler.Scheduled> pending = new HashMap<>();

    public KeyedTimers(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Runs the action after the delay unless the key is scheduled again or cancelled first. */
    public void schedule(K key, Duration delay, Runnable action) {
        cancel(key);
        Scheduler.Scheduled[] self = new Scheduler.Scheduled[1];
        self[0] = scheduler.after(delay, () -> {
            if (pending.remove(key, self[0])) {
                action.run();
            }
        });
        pending.put(key, self[0]);
    }

    /** Whether a timer for the key was pending (it will not fire now). */
    public boolean cancel(K key) {
        Scheduler.Scheduled timer = pending.remove(key);
        if (timer == null) {
            return false;
        }
        timer.cancel();
        return true;
    }

    public boolean isScheduled(K key) {
        return pending.containsKey(key);
    }

    public Set<K> keys() {
        return Set.copyOf(pending.keySet());
    }

    public int size() {
        return pending.size();
    }

    public void cancelAll() {
        pending.values().forEach(Scheduler.Scheduled::cancel);
        pending.clear();
    }
}
