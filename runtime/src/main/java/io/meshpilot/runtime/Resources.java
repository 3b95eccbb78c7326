package io.meshpilot.runtime;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a component has started, closed in reverse order: the last started is the first stopped. A failure to close
 * one is logged and the others are still closed.
 */
public final class Resources implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Resources.class);

    private final String owner;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    public Resources(String owner) {
        this.owner = owner;
    }

    /** Registers something to close; returns it, so it can be registered where it is made. */
    public synchronized <T extends AutoCloseable> T add(T resource) {
        started.push(resource);
        return resource;
    }

    @Override
    public void close() {
        while (true) {
            AutoCloseable next;
            synchronized (this) {
                if (started.isEmpty()) {
                    return;
                }
                next = started.pop();
            }
            try {
                next.close();
            } catch (Exception e) {
                LOG.atWarn().addKeyValue("component", owner).addKeyValue("error", e.toString())
                        .log("error while stopping");
            }
        }
    }
}
