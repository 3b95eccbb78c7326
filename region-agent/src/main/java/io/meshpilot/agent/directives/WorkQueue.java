package io.meshpilot.agent.directives;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * client-go's work queue: a key added many times is processed once, a key is never processed twice at the same time,
 * and a key added while it is processed is processed again once it is done. Keys come out in the order they were
 * first added. Not thread-safe: confined to the agent's event loop.
 */
final class WorkQueue<K> {

    private final Set<K> ready = new LinkedHashSet<>();
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();

    /** Marks the key as needing work. */
    void add(K key) {
        if (dirty.add(key) && !processing.contains(key)) {
            ready.add(key);
        }
    }

    /** The next key to work on, now marked as processed, if any is ready. */
    Optional<K> take() {
        Iterator<K> first = ready.iterator();
        if (!first.hasNext()) {
            return Optional.empty();
        }
        K key = first.next();
        first.remove();
        dirty.remove(key);
        processing.add(key);
        return Optional.of(key);
    }

    /** The key's work is over; if it was added meanwhile it is ready again. */
    void done(K key) {
        processing.remove(key);
        if (dirty.contains(key)) {
            ready.add(key);
        }
    }

    /** Drops the key's pending work (not its processing). */
    void forget(K key) {
        dirty.remove(key);
        ready.remove(key);
    }

    /** Drops all pending work. */
    void clear() {
        dirty.clear();
        ready.clear();
    }

    /** Whether keys wait for a worker. */
    boolean hasReady() {
        return !ready.isEmpty();
    }
}
