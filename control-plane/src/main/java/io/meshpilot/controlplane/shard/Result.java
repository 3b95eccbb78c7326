package io.meshpilot.controlplane.shard;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a shard handler returns, as Kafka's {@code CoordinatorResult} does: the outputs to publish, what to do once
 * they are committed, and what to publish instead if their transaction aborts. Nothing a handler does counts as
 * done before its commit: the runtime runs {@code onCommit} after the commit and {@code onAbort} after an abort.
 */
public record Result(List<Output> outputs, List<Runnable> onCommit, List<Supplier<Result>> onAbort) {

    public static final Result NONE = new Result(List.of(), List.of(), List.of());

    public Result {
        outputs = List.copyOf(outputs);
        onCommit = List.copyOf(onCommit);
        onAbort = List.copyOf(onAbort);
    }

    public static Result of(Output output, Runnable onCommit, Supplier<Result> onAbort) {
        return new Result(List.of(output), List.of(onCommit), List.of(onAbort));
    }

    public boolean isEmpty() {
        return outputs.isEmpty() && onCommit.isEmpty() && onAbort.isEmpty();
    }

    public Result and(Result other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        return builder().add(this).add(other).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the results of one handler. */
    public static final class Builder {

        private final List<Output> outputs = new ArrayList<>();
        private final List<Runnable> onCommit = new ArrayList<>();
        private final List<Supplier<Result>> onAbort = new ArrayList<>();

        public Builder add(Result result) {
            outputs.addAll(result.outputs());
            onCommit.addAll(result.onCommit());
            onAbort.addAll(result.onAbort());
            return this;
        }

        public Builder output(Output output) {
            outputs.add(output);
            return this;
        }

        public Builder onCommit(Runnable action) {
            onCommit.add(action);
            return this;
        }

        public Builder onAbort(Supplier<Result> instead) {
            onAbort.add(instead);
            return this;
        }

        public Result build() {
            return new Result(outputs, onCommit, onAbort);
        }
    }
}
