package io.meshpilot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.runtime.timers.KeyedTimers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyedTimersTest {

    private final ManualTime time = new ManualTime(Instant.parse("2026-01-01T00:00:00Z"));
    private final KeyedTimers<String> timers = new KeyedTimers<>(time);
    private final List<String> fired = new ArrayList<>();

    @Test
    void aTimerFiresOnceAtItsDueTime() {
        timers.schedule("a", Duration.ofSeconds(5), () -> fired.add("a@" + time.instant()));

        time.advance(Duration.ofMillis(4999));
        assertThat(fired).isEmpty();
        assertThat(timers.isScheduled("a")).isTrue();
        time.advance(Duration.ofSeconds(10));

        assertThat(fired).containsExactly("a@2026-01-01T00:00:05Z");
        assertThat(timers.isScheduled("a")).isFalse();
        assertThat(time.pending()).isZero();
    }

    @Test
    void schedulingAKeyAgainReplacesItsTimer() {
        timers.schedule("a", Duration.ofSeconds(1), () -> fired.add("first"));
        timers.schedule("a", Duration.ofSeconds(3), () -> fired.add("second"));
        timers.schedule("b", Duration.ofSeconds(2), () -> fired.add("b"));

        time.advance(Duration.ofSeconds(5));

        assertThat(fired).containsExactly("b", "second");
        assertThat(time.pending()).isZero();
    }

    @Test
    void aCancelledTimerNeverFires() {
        timers.schedule("a", Duration.ofSeconds(1), () -> fired.add("a"));

        assertThat(timers.cancel("a")).isTrue();
        assertThat(timers.cancel("a")).isFalse();
        time.advance(Duration.ofSeconds(5));

        assertThat(fired).isEmpty();
        assertThat(timers.size()).isZero();
    }

    @Test
    void anActionMayScheduleItsOwnKeyAgain() {
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            fired.add(time.instant().toString());
            if (fired.size() < 3) {
                timers.schedule("tick", Duration.ofSeconds(1), tick[0]);
            }
        };
        timers.schedule("tick", Duration.ofSeconds(1), tick[0]);

        time.advance(Duration.ofSeconds(10));

        assertThat(fired).containsExactly("2026-01-01T00:00:01Z", "2026-01-01T00:00:02Z", "2026-01-01T00:00:03Z");
    }

    @Test
    void cancelAllStopsEveryKey() {
        timers.schedule("a", Duration.ofSeconds(1), () -> fired.add("a"));
        timers.schedule("b", Duration.ofSeconds(1), () -> fired.add("b"));

        timers.cancelAll();
        time.advance(Duration.ofSeconds(2));

        assertThat(fired).isEmpty();
        assertThat(time.pending()).isZero();
    }
}
