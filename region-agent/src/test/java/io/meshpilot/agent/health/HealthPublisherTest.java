package io.meshpilot.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.agent.AgentMetrics;
import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.testing.ManualTime;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The publish window on manual time: a burst of changes is one record per Service, none held past the window. */
class HealthPublisherTest {

    private static final Duration WINDOW = Duration.ofMillis(100);
    private static final ServiceKey HELLO = new ServiceKey("default", "hello-world");
    private static final ServiceKey OTHER = new ServiceKey("default", "other");

    private final ManualTime time = new ManualTime(Instant.parse("2026-12-01T00:00:00Z"));
    private final Map<ServiceKey, ServiceObservation> current = new HashMap<>();
    private final List<String> sent = new ArrayList<>();
    private final List<ServiceHealth> records = new ArrayList<>();
    private final HealthPublisher publisher = new HealthPublisher(new HealthPublisher.Sink() {
        @Override
        public CompletionStage<?> send(String key, ServiceHealth health) {
            sent.add(key);
            records.add(health);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<?> tombstone(String key) {
            sent.add(key + " (tombstone)");
            return CompletableFuture.completedFuture(null);
        }
    }, Runnable::run, time, "us", "agent-us-0", time, WINDOW, new AgentMetrics(new PrometheusRegistry()));

    HealthPublisherTest() {
        publisher.source(key -> Optional.ofNullable(current.get(key)), current::keySet);
    }

    @Test
    void aBurstOfChangesIsOneRecordPerServiceAtTheEndOfTheWindow() {
        publisher.activate(Set.of());
        sent.clear();

        ready(HELLO, 1);
        ready(OTHER, 1);
        time.advance(Duration.ofMillis(50));
        ready(HELLO, 2);
        ready(HELLO, 3);
        time.advance(Duration.ofMillis(49));
        assertThat(sent).isEmpty();
        time.advance(Duration.ofMillis(1));

        assertThat(sent).containsExactlyInAnyOrder("default/hello-world", "default/other");
        assertThat(records).filteredOn(health -> health.service().equals("hello-world"))
                .extracting(health -> health.endpoints().ready()).containsExactly(3);
        assertThat(time.pending()).isZero();
    }

    @Test
    void anUnchangedServiceIsNotPublishedAgain() {
        publisher.activate(Set.of());
        ready(HELLO, 1);
        time.advance(WINDOW);
        sent.clear();

        publisher.changed(HELLO);
        time.advance(WINDOW);

        assertThat(sent).isEmpty();
    }

    @Test
    void aServiceGoneIsWithdrawnWithATombstone() {
        publisher.activate(Set.of());
        ready(HELLO, 1);
        time.advance(WINDOW);

        current.remove(HELLO);
        publisher.changed(HELLO);
        time.advance(WINDOW);

        assertThat(sent).endsWith("default/hello-world (tombstone)");
    }

    @Test
    void aStandingByReplicaPublishesNothingAndLeavesNoTimer() {
        ready(HELLO, 1);
        time.advance(WINDOW);
        assertThat(sent).isEmpty();

        publisher.activate(Set.of());
        ready(HELLO, 2);
        publisher.deactivate();
        time.advance(WINDOW);

        assertThat(sent).containsExactly("default/hello-world");
        assertThat(time.pending()).isZero();
    }

    @Test
    void remembersWhenAServiceFirstChangedForTheReactionTime() {
        publisher.activate(Set.of());
        ready(HELLO, 1);
        Instant first = time.instant();
        time.advance(Duration.ofMillis(30));
        ready(HELLO, 2);

        assertThat(publisher.takeFirstChange(HELLO)).contains(first);
        assertThat(publisher.takeFirstChange(HELLO)).isEmpty();
    }

    @Test
    void tenThousandServicesArePublishedAgainAChunkPerTaskNotAllInOne() {
        for (int i = 0; i < 10_000; i++) {
            current.put(new ServiceKey("load", "svc-" + i), new ServiceObservation(new EndpointTally(2, 2, 0, 2, 2),
                    true, false));
        }

        publisher.activate(Set.of());

        assertThat(sent).as("published in the caller's task").hasSize(HealthPublisher.CHUNK);
        assertThat(publisher.pending()).isEqualTo(10_000 - HealthPublisher.CHUNK);
        time.runDue();
        assertThat(sent).hasSize(10_000).doesNotHaveDuplicates();
        assertThat(time.pending()).isZero();
    }

    private void ready(ServiceKey service, int endpoints) {
        current.put(service, new ServiceObservation(new EndpointTally(endpoints, endpoints, 0, endpoints, endpoints),
                true, false));
        publisher.changed(service);
    }
}
