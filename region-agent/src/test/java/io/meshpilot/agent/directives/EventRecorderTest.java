package io.meshpilot.agent.directives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.meshpilot.runtime.timers.KeyedTimers;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.testing.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Events recorded as client-go's recorder does: aggregated, counted, rate limited, behind the patches. */
class EventRecorderTest {

    private static final ServiceKey SERVICE = new ServiceKey("default", "hello-world");
    private static final ServiceEvent.Identity FAILED_OVER = new ServiceEvent.Identity(SERVICE, "Normal",
            "AffinityChanged", "affinity local -> remote: local-degraded (directive 2)");

    private final ManualTime time = new ManualTime(Instant.parse("2026-12-01T00:00:00Z"));
    private final List<ServiceEvent> written = new ArrayList<>();
    private final List<CompletableFuture<String>> answers = new ArrayList<>();
    private boolean patchesWaiting;
    private boolean answerAtOnce = true;
    private final EventRecorder recorder = new EventRecorder(this::write, time, new KeyedTimers<>(time),
            () -> patchesWaiting, () -> true, 2);

    @Test
    void identicalEventsWaitingAreWrittenOnceWithTheirCount() {
        patchesWaiting = true;
        recorder.record(FAILED_OVER, "uid-1");
        time.advance(Duration.ofSeconds(1));
        recorder.record(FAILED_OVER, "uid-1");
        recorder.record(FAILED_OVER, "uid-1");
        assertThat(written).as("patches come first").isEmpty();

        patchesWaiting = false;
        recorder.drain();

        assertThat(written).extracting(ServiceEvent::count, ServiceEvent::existing).containsExactly(tuple(3, null));
        assertThat(written.get(0).last()).isEqualTo(written.get(0).first().plusSeconds(1));
    }

    @Test
    void anIdenticalEventSoonAfterUpdatesTheOneWrittenInsteadOfCreatingAnother() {
        recorder.record(FAILED_OVER, "uid-1");
        time.advance(Duration.ofMinutes(9));
        recorder.record(FAILED_OVER, "uid-1");
        time.advance(Duration.ofMinutes(11));
        recorder.record(FAILED_OVER, "uid-1");

        assertThat(written).extracting(ServiceEvent::count, ServiceEvent::existing)
                .containsExactly(tuple(1, null), tuple(2, "event-1"), tuple(1, null));
    }

    @Test
    void differentMessagesAreDifferentEvents() {
        recorder.record(FAILED_OVER, "uid-1");
        recorder.record(new ServiceEvent.Identity(SERVICE, "Normal", "AffinityChanged",
                "affinity remote -> local: local-healthy (directive 3)"), "uid-1");

        assertThat(written).extracting(ServiceEvent::count, ServiceEvent::existing)
                .containsExactly(tuple(1, null), tuple(1, null));
    }

    @Test
    void aServiceGetsABurstOfEventsThenOneEveryFiveMinutes() {
        for (int i = 0; i < EventRecorder.BURST + 5; i++) {
            recorder.record(new ServiceEvent.Identity(SERVICE, "Normal", "AffinityChanged", "change " + i), "uid-1");
        }
        assertThat(written).hasSize(EventRecorder.BURST);
        assertThat(recorder.droppedCount()).isEqualTo(5);

        time.advance(EventRecorder.REFILL);
        recorder.record(FAILED_OVER, "uid-1");
        recorder.record(new ServiceEvent.Identity(SERVICE, "Normal", "AffinityChanged", "one more"), "uid-1");

        assertThat(written).hasSize(EventRecorder.BURST + 1);
    }

    @Test
    void writesAtMostItsParallelismAtOnce() {
        answerAtOnce = false;
        for (int i = 0; i < 5; i++) {
            recorder.record(new ServiceEvent.Identity(new ServiceKey("default", "s" + i), "Normal",
                    "AffinityChanged", "change"), "uid-" + i);
        }
        assertThat(written).hasSize(2);

        answers.get(0).complete("event-1");

        assertThat(written).hasSize(3);
        assertThat(recorder.pendingCount()).isEqualTo(2);
    }

    private CompletionStage<String> write(ServiceEvent event) {
        written.add(event);
        CompletableFuture<String> answer = new CompletableFuture<>();
        answers.add(answer);
        if (answerAtOnce) {
            answer.complete("event-" + written.size());
        }
        return answer;
    }
}
