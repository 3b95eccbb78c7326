package io.meshpilot.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.controlplane.ControlPlaneMetrics;
import io.meshpilot.controlplane.shard.Output;
import io.meshpilot.controlplane.shard.Pending;
import io.meshpilot.controlplane.shard.Result;
import io.meshpilot.controlplane.shard.ResultTimers;
import io.meshpilot.kafka.SendListener;
import io.meshpilot.core.decision.Mode;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.PolicyStatus;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.ManualTime;
import io.meshpilot.testing.MetricsPage;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 22, point 4: pins that expire, on a manual clock. */
class PinExpiryTest {

    private static final ServiceKey WEB = new ServiceKey("team-a", "web");
    private static final Instant START = Instant.parse("2026-12-01T12:00:00Z");

    private final ManualTime time = new ManualTime(START);
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PolicyBook book = new PolicyBook();
    private final Pending pending = new Pending();
    private final PinExpiry pins = new PinExpiry(book, new ResultTimers(time, pending::add), time,
            new ControlPlaneMetrics(registry, SendListener.NONE).pinMetrics());
    private final List<String> told = new ArrayList<>();

    PinExpiryTest() {
        pins.onExpired((scope, at) -> {
            told.add(scope + " at " + at);
            return Result.NONE;
        });
        book.accept("*", policy("*", Mode.AUTO));
        book.accept("team-a/*", policy("team-a/*", Mode.LOCAL));
    }

    @Test
    void atExpiryTheScopeReturnsToTheNextPolicyDownAndTheListenerIsTold() {
        Instant expiresAt = START.plus(Duration.ofMinutes(10));
        book.accept("team-a/web", policy("team-a/web", Mode.REMOTE), Optional.of(expiresAt));

        time.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(book.resolve(WEB).scope()).isEqualTo("team-a/web");
        assertThat(told).isEmpty();
        assertThat(metric("meshpilot_policy_pins{expiring=\"true\"}")).isEqualTo(1);
        assertThat(metric("meshpilot_policy_pins{expiring=\"false\"}")).isEqualTo(1);

        time.advance(Duration.ofMillis(1));
        assertThat(book.resolve(WEB).scope()).isEqualTo("team-a/*");
        assertThat(book.isExpired("team-a/web")).isTrue();
        assertThat(book.byScope("team-a/web")).isEmpty();
        assertThat(told).containsExactly("team-a/web at " + expiresAt);
        assertThat(metric("meshpilot_policy_pins{expiring=\"true\"}")).isZero();
        assertThat(metric("meshpilot_policy_pins_expired_total")).isEqualTo(1);

        book.delete("team-a/*");
        assertThat(book.resolve(WEB).scope()).isEqualTo("*");
    }

    @Test
    void aNewerPolicyOrATombstoneCancelsThePinsTimer() {
        book.accept("team-a/web", policy("team-a/web", Mode.REMOTE), Optional.of(START.plusSeconds(60)));
        book.accept("team-a/web", policy("team-a/web", Mode.BALANCED));
        book.accept("team-b/*", policy("team-b/*", Mode.UNMANAGED), Optional.of(START.plusSeconds(30)));
        book.delete("team-b/*");

        time.advance(Duration.ofHours(1));

        assertThat(book.resolve(WEB).mode()).isEqualTo(Mode.BALANCED);
        assertThat(told).isEmpty();
        assertThat(pins.pending()).isEmpty();
    }

    @Test
    void aPinAcceptedAfterItsExpiryIsOutOfForceAtOnceAndTheListenerIsToldAfterwards() {
        book.accept("team-a/web", policy("team-a/web", Mode.REMOTE), Optional.of(START.minusSeconds(1)));

        assertThat(book.resolve(WEB).scope()).as("never in force, even before the listener hears").isEqualTo(
                "team-a/*");
        assertThat(told).isEmpty();
        time.runDue();
        assertThat(told).containsExactly("team-a/web at " + START.minusSeconds(1));
    }

    @Test
    void anExpiredPinAcceptedAgainWithALaterExpiryIsInForceAgain() {
        book.accept("team-a/web", policy("team-a/web", Mode.REMOTE), Optional.of(START.plusSeconds(5)));
        time.advance(Duration.ofSeconds(5));
        book.accept("team-a/web", policy("team-a/web", Mode.REMOTE), Optional.of(START.plusSeconds(60)));

        assertThat(book.resolve(WEB).scope()).isEqualTo("team-a/web");
        time.advance(Duration.ofSeconds(55));
        assertThat(book.resolve(WEB).scope()).isEqualTo("team-a/*");
        assertThat(told).hasSize(2);
    }

    @Test
    void thePolicyStatusSaysThePinExpired() {
        PolicyStatuses statuses = new PolicyStatuses(time);
        pending.add(statuses.becomeWriter());
        pins.onExpired(statuses::expired);
        book.accept("team-a/web", policy("team-a/web", Mode.REMOTE), Optional.of(START.plusSeconds(30)));
        pending.add(statuses.judged("team-a/web", new PolicyStatuses.PolicyPosition(0, 7), List.of()));

        time.advance(Duration.ofSeconds(30));

        List<PolicyStatus> written = pending.commit().stream().filter(Output.PolicyAnswer.class::isInstance)
                .map(output -> ((Output.PolicyAnswer) output).status().orElseThrow()).toList();
        assertThat(written).extracting(PolicyStatus::policyOffset).containsExactly(7L, 7L);
        assertThat(written.get(0).expiredAt()).isNull();
        assertThat(written.get(1).accepted()).isTrue();
        assertThat(written.get(1).expiredAt()).isEqualTo(START.plusSeconds(30));
        statuses.answered(written.get(1));
        statuses.stopWriting();
        assertThat(statuses.becomeWriter().outputs()).as("answered once").isEmpty();
    }

    private double metric(String series) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return MetricsPage.parse(out.toString(StandardCharsets.UTF_8)).value(series);
    }

    private static Policy policy(String scope, Mode mode) {
        return new Policy(scope, mode, 1, 0.0, Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(15),
                List.of(), 0, Set.of());
    }
}
