package io.meshpilot.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Issue 22, point 3: at least N regions exporting per Service; at most K regions withdrawn across the mesh. */
class SafetyRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Map<String, String> LOCAL = CiliumServiceConfig.global(true, Affinity.LOCAL).annotations();
    private final DecisionEngine engine = new DecisionEngine();

    @Test
    void aDegradedRegionKeepsExportingWhileWithdrawingWouldLeaveTooFewExporting() {
        ServiceDecision decision = decide(Policy.DEFAULT.withMinExportingRegions(3), region("ap", 3), region("eu", 3),
                region("us", 0));

        RegionOutcome us = decision.region("us").orElseThrow();
        assertThat(us.reason()).isEqualTo(Reason.BLOCKED_BY_SAFETY_RULE);
        assertThat(us.exporting()).isTrue();
        assertThat(us.away()).as("its clients still go where the backends are").isTrue();
        assertThat(us.annotations()).isEqualTo(CiliumServiceConfig.global(true, Affinity.REMOTE).annotations());
        assertThat(Reason.BLOCKED_BY_SAFETY_RULE.wireName()).isEqualTo("blocked-by-safety-rule");
    }

    @Test
    void aRegionWithdrawsWhenEnoughOthersStillExport() {
        ServiceDecision decision = decide(Policy.DEFAULT.withMinExportingRegions(2), region("ap", 3), region("eu", 3),
                region("us", 0));

        RegionOutcome us = decision.region("us").orElseThrow();
        assertThat(us.reason()).isEqualTo(Reason.LOCAL_DEGRADED);
        assertThat(us.exporting()).isFalse();
    }

    @Test
    void theRegionsWithTheMostReadyEndpointsKeepExportingFirst() {
        Policy drainTwo = Policy.DEFAULT.withDrain(Set.of("eu", "us")).withMinExportingRegions(2);

        ServiceDecision decision = decide(drainTwo, region("ap", 3), region("eu", 1), region("us", 2));

        assertThat(decision.region("us").orElseThrow().reason()).isEqualTo(Reason.BLOCKED_BY_SAFETY_RULE);
        assertThat(decision.region("eu").orElseThrow().reason()).isEqualTo(Reason.DRAINED);
        assertThat(decision.region("eu").orElseThrow().exporting()).isFalse();
    }

    @Test
    void theRuleStartsNoExportThatWasNotThere() {
        RegionInput withdrawn = new RegionInput("us", tally(0), NOW, Optional.of(NOW), Optional.of(
                CiliumServiceConfig.global(false, Affinity.REMOTE).annotations()), false, true, Optional.empty());

        ServiceDecision decision = decide(Policy.DEFAULT.withMinExportingRegions(3), region("ap", 3), region("eu", 3),
                withdrawn);

        assertThat(decision.region("us").orElseThrow().exporting()).isFalse();
        assertThat(decision.region("us").orElseThrow().reason()).isEqualTo(Reason.LOCAL_DEGRADED);
    }

    @Test
    void theDefaultHasNoRuleAndChangesNothing() {
        assertThat(Policy.DEFAULT.minExportingRegions()).isZero();
        Policy sameWithoutRule = new Policy("*", Mode.AUTO, 1, 0.0, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of());
        assertThat(decide(sameWithoutRule.withMinExportingRegions(0), region("eu", 3), region("us", 0)))
                .isEqualTo(decide(sameWithoutRule, region("eu", 3), region("us", 0)));
    }

    @Test
    void aRegionNotYetWithdrawnAnywhereIsHeldBackAtTheLimit() {
        Policy atMostOne = Policy.DEFAULT.withMaxWithdrawnRegions(1);
        MeshWithdrawals usOut = new MeshWithdrawals(Set.of("us"), Set.of());

        ServiceDecision decision = engine.decide(new DecisionInput(atMostOne, List.of(region("ap", 6),
                region("eu", 0), region("us", 0)), Optional.empty(), NOW, usOut));

        RegionOutcome eu = decision.region("eu").orElseThrow();
        assertThat(eu.reason()).isEqualTo(Reason.BLOCKED_BY_SAFETY_RULE);
        assertThat(eu.safetyRule()).contains(SafetyRule.MAX_WITHDRAWN_REGIONS);
        assertThat(eu.exporting()).isTrue();
        assertThat(eu.away()).isTrue();
        RegionOutcome us = decision.region("us").orElseThrow();
        assertThat(us.reason()).as("us is withdrawn already for another Service").isEqualTo(Reason.LOCAL_DEGRADED);
        assertThat(us.exporting()).isFalse();
    }

    @Test
    void theSickestRegionsWithdrawFirstUpToTheLimit() {
        Policy twoReady = new Policy("*", Mode.AUTO, 2, 0.0, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of()).withMaxWithdrawnRegions(1);
        ServiceDecision decision = engine.decide(new DecisionInput(twoReady, List.of(region("ap", 3),
                region("eu", 1, 3), region("us", 0)), Optional.empty(), NOW, MeshWithdrawals.NONE));

        assertThat(decision.region("us").orElseThrow().exporting()).isFalse();
        assertThat(decision.region("eu").orElseThrow().reason()).isEqualTo(Reason.BLOCKED_BY_SAFETY_RULE);
    }

    @Test
    void overTheLimitNothingIsWithdrawnAnewAndNothingForcedBack() {
        MeshWithdrawals twoOut = new MeshWithdrawals(Set.of("sa"), Set.of("us"));

        ServiceDecision decision = engine.decide(new DecisionInput(Policy.DEFAULT.withMaxWithdrawnRegions(1),
                List.of(region("ap", 6), region("eu", 0), region("us", 0)), Optional.empty(), NOW, twoOut));

        assertThat(decision.region("us").orElseThrow().exporting()).as("stays withdrawn").isFalse();
        assertThat(decision.region("eu").orElseThrow().reason()).isEqualTo(Reason.BLOCKED_BY_SAFETY_RULE);
    }

    @Test
    void aHealthyRegionLeftOutOfTheTargetsIsNotAWithdrawal() {
        Policy oneTarget = new Policy("*", Mode.AUTO, 1, 0.0, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 1, Set.of()).withMaxWithdrawnRegions(1);

        ServiceDecision decision = engine.decide(new DecisionInput(oneTarget, List.of(region("ap", 3),
                region("eu", 3), region("us", 0)), Optional.empty(), NOW, MeshWithdrawals.NONE));

        assertThat(decision.region("eu").orElseThrow().exporting()).isFalse();
        assertThat(decision.region("eu").orElseThrow().reason()).isEqualTo(Reason.LOCAL_HEALTHY);
        assertThat(decision.region("us").orElseThrow().exporting()).as("the one withdrawal the rule allows")
                .isFalse();
    }

    @Test
    void theMinExportingRuleIsNamedToo() {
        ServiceDecision decision = decide(Policy.DEFAULT.withMinExportingRegions(3), region("ap", 3), region("eu", 3),
                region("us", 0));

        assertThat(decision.region("us").orElseThrow().safetyRule()).contains(SafetyRule.MIN_EXPORTING_REGIONS);
        assertThat(decision.region("ap").orElseThrow().safetyRule()).isEmpty();
    }

    private ServiceDecision decide(Policy policy, RegionInput... regions) {
        return engine.decide(new DecisionInput(policy, List.of(regions), Optional.empty(), NOW));
    }

    private static RegionInput region(String name, int ready) {
        return new RegionInput(name, tally(ready), NOW, Optional.of(NOW), Optional.of(LOCAL), false, true,
                Optional.empty());
    }

    private static RegionInput region(String name, int ready, int total) {
        return new RegionInput(name, new EndpointTally(ready, ready, 0, ready, 0, ready, total), NOW,
                Optional.of(NOW), Optional.of(LOCAL), false, true, Optional.empty());
    }

    private static EndpointTally tally(int ready) {
        return new EndpointTally(ready, ready, 0, ready, 0, ready, 3);
    }
}
