package io.meshpilot.controlplane.shard;

import io.meshpilot.schemas.ServiceDirective;
import java.util.ArrayList;
import java.util.List;

/**
 * What the shard returned and no transaction has taken yet, as the runtime's outbox holds it; a test commits it
 * (running the commit actions) or aborts it (running the abort actions, whose results are pending in turn).
 */
public final class Pending {

    private final List<Result> results = new ArrayList<>();

    public void add(Result result) {
        if (!result.isEmpty()) {
            results.add(result);
        }
    }

    public boolean isEmpty() {
        return results.isEmpty();
    }

    /** Commits everything pending; returns its outputs in order. */
    public List<Output> commit() {
        List<Result> taken = List.copyOf(results);
        results.clear();
        taken.forEach(result -> result.onCommit().forEach(Runnable::run));
        return taken.stream().flatMap(result -> result.outputs().stream()).toList();
    }

    /** Aborts everything pending; returns its outputs (never published). */
    public List<Output> abort() {
        List<Result> taken = List.copyOf(results);
        results.clear();
        taken.forEach(result -> result.onAbort().forEach(instead -> add(instead.get())));
        return taken.stream().flatMap(result -> result.outputs().stream()).toList();
    }

    public static List<ServiceDirective> directives(List<Output> outputs) {
        return outputs.stream().filter(Output.Directive.class::isInstance).map(Output.Directive.class::cast)
                .map(Output.Directive::directive).toList();
    }
}
