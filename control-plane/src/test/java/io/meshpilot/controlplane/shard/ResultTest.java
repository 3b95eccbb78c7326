package io.meshpilot.controlplane.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What handlers return and the outbox takes: outputs with their commit and abort actions, combined in order. */
class ResultTest {

    private final Output first = new Output.PolicyAnswer("a/*", Optional.empty());
    private final Output second = new Output.PolicyAnswer("b/*", Optional.empty());
    private final Runnable firstCommitted = () -> { };
    private final Runnable secondCommitted = () -> { };
    private final Supplier<Result> firstAborted = () -> Result.NONE;
    private final Supplier<Result> secondAborted = () -> Result.NONE;

    @Test
    void combinesTwoResultsInOrder() {
        Result one = Result.builder().output(first).onCommit(firstCommitted).onAbort(firstAborted).build();
        Result two = Result.builder().output(second).onCommit(secondCommitted).onAbort(secondAborted).build();

        Result both = one.and(two);

        assertThat(both.outputs()).containsExactly(first, second);
        assertThat(both.onCommit()).containsExactly(firstCommitted, secondCommitted);
        assertThat(both.onAbort()).containsExactly(firstAborted, secondAborted);
        assertThat(one.and(Result.NONE)).isEqualTo(one);
        assertThat(Result.NONE.and(two)).isEqualTo(two);
    }

    @Test
    void aBuilderGivenNothingBuildsNothing() {
        assertThat(Result.builder().build()).isEqualTo(Result.NONE);
        assertThat(Result.builder().add(Result.NONE).build().isEmpty()).isTrue();
    }
}
