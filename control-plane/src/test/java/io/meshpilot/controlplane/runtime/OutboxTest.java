package io.meshpilot.controlplane.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.controlplane.shard.Output;
import io.meshpilot.controlplane.shard.Result;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The outbox hands its results over in order, a transaction's worth of outputs at a time. */
class OutboxTest {

    private final Outbox outbox = new Outbox();

    @Test
    void aDrainTakesWholeResultsInOrderUntilItHoldsTheOutputsAskedForAndLeavesTheRest() {
        Result two = result("a", "b");
        Result one = result("c");
        Result three = result("d", "e", "f");
        List.of(two, one, three).forEach(outbox::add);

        assertThat(outbox.drain(3)).containsExactly(two, one);
        assertThat(outbox.drain(1)).containsExactly(three);
        assertThat(outbox.isEmpty()).isTrue();
        assertThat(outbox.drain(10)).isEmpty();
    }

    @Test
    void theFirstEntryAfterADrainThatEmptiedItWakesThePublisherAgain() {
        int[] wakes = {0};
        outbox.onFirstEntry(() -> wakes[0]++);
        outbox.add(result("a"));
        outbox.add(result("b"));
        outbox.drain(1);
        outbox.add(result("c"));
        outbox.drain(5);
        outbox.add(result("d"));

        assertThat(wakes[0]).isEqualTo(2);
    }

    private static Result result(String... scopes) {
        Result.Builder builder = Result.builder();
        for (String scope : scopes) {
            builder.output(new Output.PolicyAnswer(scope, Optional.empty()));
        }
        return builder.build();
    }
}
