package io.meshpilot.core.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.core.routing.Affinity;
import io.meshpilot.core.routing.CiliumServiceConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 22, point 3: a region whose mass degradation waits for confirmation keeps its clients until it ends. */
class MassDegradationTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Map<String, String> LOCAL = CiliumServiceConfig.global(true, Affinity.LOCAL).annotations();
    private final DecisionEngine engine = new DecisionEngine();

    @Test
    void aDegradedRegionKeepsItsClientsUntilTheWindowEnds() {
        Instant until = NOW.plusSeconds(30);

        ServiceDecision decision = decide(NOW, Map.of("us", until));

        RegionOutcome us = decision.region("us").orElseThrow();
        assertThat(us.reason()).isEqualTo(Reason.CONFIRMING_MASS_DEGRADATION);
        assertThat(us.away()).isFalse();
        assertThat(us.exporting()).as("its backends are withdrawn, as while a failover is pending").isFalse();
        assertThat(us.state()).isEqualTo(RegionState.DEGRADED);
        assertThat(decision.reviewAt()).contains(until);
        assertThat(Reason.CONFIRMING_MASS_DEGRADATION.wireName()).isEqualTo("confirming-mass-degradation");
    }

    @Test
    void onceTheWindowHasEndedTheRegionFailsOver() {
        ServiceDecision decision = decide(NOW, Map.of("us", NOW));

        assertThat(decision.region("us").orElseThrow().reason()).isEqualTo(Reason.LOCAL_DEGRADED);
        assertThat(decision.region("us").orElseThrow().away()).isTrue();
    }

    @Test
    void aFailoverDelayLongerThanTheWindowIsWhatWaits() {
        Policy longDelay = new Policy("*", Mode.AUTO, 1, 0.0, Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of());

        ServiceDecision decision = engine.decide(new DecisionInput(longDelay, regions(), Optional.empty(), NOW,
                MeshWithdrawals.NONE, Map.of("us", NOW.plusSeconds(30))));

        assertThat(decision.region("us").orElseThrow().reason()).isEqualTo(Reason.FAILOVER_PENDING);
        assertThat(decision.reviewAt()).contains(NOW.plusSeconds(60));
    }

    @Test
    void theSettingIsCheckedWhenMade() {
        assertThat(MassDegradation.NONE.enabled()).isFalse();
        assertThat(new MassDegradation(0.5, Duration.ofSeconds(10), Duration.ofSeconds(30)).enabled()).isTrue();
        assertThatThrownBy(() -> new MassDegradation(1.5, Duration.ofSeconds(10), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MassDegradation(0.5, Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private ServiceDecision decide(Instant now, Map<String, Instant> confirming) {
        return engine.decide(new DecisionInput(policy(), regions(), Optional.empty(), now, MeshWithdrawals.NONE,
                confirming));
    }

    private static Policy policy() {
        return Policy.DEFAULT.withMassDegradation(new MassDegradation(0.5, Duration.ofSeconds(10),
                Duration.ofSeconds(30)));
    }

    private static List<RegionInput> regions() {
        return List.of(region("eu", 3), region("us", 0));
    }

    private static RegionInput region(String name, int ready) {
        return new RegionInput(name, new EndpointTally(ready, ready, 0, ready, 0, ready, 3), NOW, Optional.of(NOW),
                Optional.of(LOCAL), false, true, Optional.empty());
    }
}
