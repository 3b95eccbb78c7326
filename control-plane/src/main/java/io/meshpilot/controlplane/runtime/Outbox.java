package io.meshpilot.controlplane.runtime;

import io.meshpilot.controlplane.shard.Result;
import java.util.ArrayList;
import java.util.List;

/**
 * The shard's results that the owner's transaction has not taken yet. The transaction publishes their outputs with
 * the consumer's offsets, so a replica that lost its partitions publishes none of it; their commit and abort actions
 * run once the transaction's fate is known. Confined to the event loop.
 */
public final class Outbox {

    private final List<Result> results = new ArrayList<>();
    private Runnable onFirst = () -> { };

    /** Called when the outbox goes from empty to not empty, to wake the publisher. */
    public void onFirstEntry(Runnable wake) {
        this.onFirst = wake;
    }

    public void add(Result result) {
        if (result.isEmpty()) {
            return;
        }
        results.add(result);
        if (results.size() == 1) {
            onFirst.run();
        }
    }

    /**
     * Takes results in order until they hold at least {@code outputs} outputs (one result more than that at most),
     * leaving the rest for the next transaction: one transaction never carries a whole resync.
     */
    public List<Result> drain(int outputs) {
        List<Result> taken = new ArrayList<>();
        int count = 0;
        int next = 0;
        while (next < results.size() && count < outputs) {
            Result result = results.get(next++);
            taken.add(result);
            count += result.outputs().size();
        }
        results.subList(0, next).clear();
        return taken;
    }

    public List<Result> drain() {
        List<Result> drained = List.copyOf(results);
        results.clear();
        return drained;
    }

    public boolean isEmpty() {
        return results.isEmpty();
    }
}
