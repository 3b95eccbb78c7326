package io.meshpilot.controlplane.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.decision.MassDegradation;
import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The confirmation windows for mass degradation, per region: when they open and what counts towards them. */
class MassDegradationsTest {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final List<ServiceKey> SERVICES = List.of(new ServiceKey("default", "a"),
            new ServiceKey("default", "b"), new ServiceKey("default", "c"), new ServiceKey("shop", "d"));
    private static final MassDegradation HALF = new MassDegradation(0.5, Duration.ofSeconds(30),
            Duration.ofSeconds(30));

    private final MassDegradations masses = new MassDegradations();

    @Test
    void moreThanTheShareDegradedOpensAWindowFromTheLastOfThem() {
        allPresent();
        degrade(0, T0);
        degrade(1, T0);
        assertThat(masses.confirmingUntil("us", HALF, T0.plusSeconds(1))).as("2 of 4").isEmpty();
        degrade(2, T0.plusSeconds(2));

        assertThat(masses.confirmingUntil("us", HALF, T0.plusSeconds(3))).contains(T0.plusSeconds(32));
        assertThat(masses.confirmingUntil("eu", HALF, T0.plusSeconds(3))).isEmpty();
    }

    @Test
    void servicesHealthyAgainNoLongerCount() {
        allPresent();
        degrade(0, T0);
        degrade(1, T0);
        degrade(2, T0);
        masses.update(SERVICES.get(1), Map.of("us", Optional.empty(), "eu", Optional.empty()));
        masses.update(SERVICES.get(2), Map.of("us", Optional.empty(), "eu", Optional.empty()));

        assertThat(masses.confirmingUntil("us", HALF, T0.plusSeconds(1))).isEmpty();
    }

    @Test
    void servicesGoneFromTheRegionNoLongerCount() {
        allPresent();
        degrade(0, T0);
        degrade(1, T0);
        degrade(2, T0);
        masses.update(SERVICES.get(1), Map.of());
        masses.update(SERVICES.get(2), Map.of("eu", Optional.empty()));

        assertThat(masses.confirmingUntil("us", HALF, T0.plusSeconds(1))).as("1 of 2").isEmpty();
    }

    @Test
    void aServiceGoneEverywhereThenBackIsPresentAgain() {
        allPresent();
        masses.update(SERVICES.get(3), Map.of());
        masses.update(SERVICES.get(3), Map.of("us", Optional.empty()));
        degrade(0, T0);
        degrade(1, T0);

        assertThat(masses.confirmingUntil("us", HALF, T0.plusSeconds(1))).as("2 of 4").isEmpty();
    }

    @Test
    void aWindowThatWouldAlreadyHaveEndedHoldsNothing() {
        allPresent();
        degrade(0, T0);
        degrade(1, T0);
        degrade(2, T0);

        assertThat(masses.confirmingUntil("us", HALF, T0.plusSeconds(30))).as("crossed 30 s ago").isEmpty();
    }

    @Test
    void onlyDegradationsAfterAWindowEndedCanOpenTheNext() {
        allPresent();
        degrade(0, T0);
        degrade(1, T0);
        degrade(2, T0);
        assertThat(masses.confirmingUntil("us", HALF, T0)).contains(T0.plusSeconds(30));
        degrade(3, T0.plusSeconds(30));

        assertThat(masses.confirmingUntil("us", HALF, T0.plusSeconds(30)))
                .as("three in the window that ended, one after it").isEmpty();
    }

    private void allPresent() {
        SERVICES.forEach(service -> masses.update(service, Map.of("us", Optional.empty(), "eu", Optional.empty())));
    }

    private void degrade(int service, Instant since) {
        masses.update(SERVICES.get(service), Map.of("us", Optional.of(since), "eu", Optional.empty()));
    }
}
