package io.meshpilot.core.decision;

import static io.meshpilot.core.decision.Scenario.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One test per reason of SPEC §5, and the rules around them. */
class DecisionEngineTest {

    private static final Map<String, String> LOCAL_SHARED = annotations("true", "local");
    private static final Map<String, String> LOCAL_UNSHARED = annotations("false", "local");
    private static final Map<String, String> REMOTE_UNSHARED = annotations("false", "remote");

    @Test
    void localHealthy_keepsEveryHealthyRegionLocalAndShared() {
        ServiceDecision decision = new Scenario().region("us", 2, 2).region("eu", 2, 2).decide();

        assertThat(decision.regions()).extracting(RegionOutcome::region).containsExactly("eu", "us");
        assertThat(decision.regions()).allSatisfy(region -> {
            assertThat(region.reason()).isEqualTo(Reason.LOCAL_HEALTHY);
            assertThat(region.state()).isEqualTo(RegionState.HEALTHY);
            assertThat(region.annotations()).isEqualTo(LOCAL_SHARED);
        });
        assertThat(decision.globalOutage()).isFalse();
        assertThat(decision.reviewAt()).isEmpty();
    }

    @Test
    void localDegraded_sendsAnUnhealthyRegionRemoteAndWithdrawsItsBackends() {
        ServiceDecision decision = new Scenario().region("us", 0, 2).region("eu", 2, 2).decide();

        assertOutcome(decision, "us", Reason.LOCAL_DEGRADED, RegionState.DEGRADED, REMOTE_UNSHARED);
        assertOutcome(decision, "eu", Reason.LOCAL_HEALTHY, RegionState.HEALTHY, LOCAL_SHARED);
    }

    @Test
    void localDegraded_countsARegionBelowTheThresholdsAsDegradedBeforeItReachesZero() {
        Policy twoOfThree = Scenario.with(Mode.AUTO, 2, 0.5, Duration.ZERO, Duration.ofSeconds(30), List.of(), 0,
                Set.of());

        ServiceDecision decision = new Scenario().policy(twoOfThree).region("us", 1, 3).region("eu", 3, 3).decide();

        assertOutcome(decision, "us", Reason.LOCAL_DEGRADED, RegionState.DEGRADED, REMOTE_UNSHARED);
    }

    @Test
    void failoverPending_keepsClientsHomeForTheFailoverDelayButWithdrawsTheBackendsAtOnce() {
        Scenario scenario = new Scenario().policy(Scenario.with(Mode.AUTO, 1, 0, Duration.ofSeconds(10),
                Duration.ofSeconds(30), List.of(), 0, Set.of())).region("us", 0, 2).region("eu", 2, 2);

        ServiceDecision pending = scenario.decide();
        assertOutcome(pending, "us", Reason.FAILOVER_PENDING, RegionState.DEGRADED, LOCAL_UNSHARED);
        assertThat(pending.reviewAt()).contains(T0.plusSeconds(10));

        ServiceDecision stillPending = scenario.after(Duration.ofSeconds(9)).decide();
        assertThat(stillPending.region("us").orElseThrow().reason()).isEqualTo(Reason.FAILOVER_PENDING);

        ServiceDecision failedOver = scenario.after(Duration.ofSeconds(1)).decide();
        assertOutcome(failedOver, "us", Reason.LOCAL_DEGRADED, RegionState.DEGRADED, REMOTE_UNSHARED);
        assertThat(failedOver.region("us").orElseThrow().since()).isEqualTo(T0);
    }

    @Test
    void failbackPending_keepsARecoveredRegionAwayForTheFailbackDelay() {
        Scenario scenario = new Scenario().region("us", 0, 2).region("eu", 2, 2);
        scenario.decide();

        ServiceDecision recovering = scenario.after(Duration.ofSeconds(5)).region("us", 2, 2).decide();
        assertOutcome(recovering, "us", Reason.FAILBACK_PENDING, RegionState.HEALTHY, REMOTE_UNSHARED);
        assertThat(recovering.reviewAt()).contains(scenario.now().plusSeconds(30));

        ServiceDecision home = scenario.after(Duration.ofSeconds(30)).decide();
        assertOutcome(home, "us", Reason.LOCAL_HEALTHY, RegionState.HEALTHY, LOCAL_SHARED);
    }

    @Test
    void failbackPending_restartsWhenTheRegionDegradesAgainBeforeTheDelay() {
        Scenario scenario = new Scenario().region("us", 0, 2).region("eu", 2, 2);
        scenario.decide();
        scenario.after(Duration.ofSeconds(1)).region("us", 2, 2).decide();
        scenario.after(Duration.ofSeconds(20)).region("us", 0, 2).decide();

        ServiceDecision flapped = scenario.after(Duration.ofSeconds(1)).region("us", 2, 2).decide();
        assertThat(flapped.region("us").orElseThrow().reason()).isEqualTo(Reason.FAILBACK_PENDING);
        assertThat(flapped.reviewAt()).contains(scenario.now().plusSeconds(30));
    }

    @Test
    void drained_sendsAHealthyRegionsClientsAwayAndWithdrawsItsBackends() {
        Policy drainUs = Scenario.with(Mode.AUTO, 1, 0, Duration.ZERO, Duration.ofSeconds(30), List.of(), 0,
                Set.of("us"));

        ServiceDecision decision = new Scenario().policy(drainUs).region("us", 3, 3).region("eu", 3, 3).decide();

        assertOutcome(decision, "us", Reason.DRAINED, RegionState.DRAINED, REMOTE_UNSHARED);
        assertOutcome(decision, "eu", Reason.LOCAL_HEALTHY, RegionState.HEALTHY, LOCAL_SHARED);
    }

    @Test
    void noHealthyTarget_keepsEveryRegionLocalAndSharedAndReportsAGlobalOutage() {
        ServiceDecision decision = new Scenario().region("us", 0, 2).region("eu", 0, 3).decide();

        assertThat(decision.globalOutage()).isTrue();
        assertThat(decision.regions()).allSatisfy(region -> {
            assertThat(region.reason()).isEqualTo(Reason.NO_HEALTHY_TARGET);
            assertThat(region.annotations()).isEqualTo(LOCAL_SHARED);
            assertThat(region.away()).isFalse();
        });
    }

    @Test
    void drainOfEveryHealthyRegion_isOverridden() {
        Policy drainBoth = Scenario.with(Mode.AUTO, 1, 0, Duration.ZERO, Duration.ofSeconds(30), List.of(), 0,
                Set.of("us", "eu"));

        ServiceDecision decision = new Scenario().policy(drainBoth).region("us", 2, 2).region("eu", 2, 2).decide();

        assertThat(decision.regions()).allSatisfy(region -> {
            assertThat(region.reason()).isEqualTo(Reason.DRAIN_OVERRIDDEN);
            assertThat(region.annotations()).isEqualTo(LOCAL_SHARED);
        });
    }

    @Test
    void regionStale_keepsTheLastDirectiveAndIsNotANewTarget() {
        Scenario scenario = new Scenario().region("us", 2, 2).region("eu", 2, 2).region("ap", 2, 2);
        scenario.decide();

        ServiceDecision decision = scenario.silent("eu", 0, 2, Duration.ofSeconds(20)).region("us", 0, 2)
                .region("ap", 2, 2).decide();

        RegionOutcome eu = decision.region("eu").orElseThrow();
        assertThat(eu.reason()).isEqualTo(Reason.REGION_STALE);
        assertThat(eu.state()).isEqualTo(RegionState.STALE);
        assertThat(eu.hold()).isTrue();
        assertThat(eu.annotations()).isEqualTo(LOCAL_SHARED);
        assertOutcome(decision, "us", Reason.LOCAL_DEGRADED, RegionState.DEGRADED, REMOTE_UNSHARED);
        assertOutcome(decision, "ap", Reason.LOCAL_HEALTHY, RegionState.HEALTHY, LOCAL_SHARED);
    }

    @Test
    void regionStale_withoutAPreviousDirectiveHasNothingToPublish() {
        ServiceDecision decision = new Scenario().silent("us", 2, 2, Duration.ofMinutes(5)).region("eu", 2, 2)
                .decide();

        assertThat(decision.region("us").orElseThrow()).satisfies(us -> {
            assertThat(us.hold()).isTrue();
            assertThat(us.annotations()).isEmpty();
        });
    }

    @Test
    void regionStale_aWithdrawalItsAgentNeverAppliedIsSupersededOnlyWhileItWouldStrandClients() {
        DecisionEngine engine = new DecisionEngine();
        Policy onlyAp = Scenario.with(Mode.AUTO, 1, 0, Duration.ZERO, Duration.ofSeconds(30), List.of("ap"), 0,
                Set.of());
        ServiceDecision leftOut = engine.decide(new DecisionInput(onlyAp, List.of(heard("ap", 2, T0, LOCAL_SHARED),
                heard("eu", 2, T0, LOCAL_SHARED), heard("us", 2, T0, LOCAL_SHARED)), java.util.Optional.empty(), T0));
        assertOutcome(leftOut, "us", Reason.LOCAL_HEALTHY, RegionState.HEALTHY, LOCAL_UNSHARED);
        Instant later = T0.plusSeconds(20);
        RegionInput usSilentBeforeApplying = new RegionInput("us", Scenario.tally(2, 2), T0, java.util.Optional.of(T0),
                java.util.Optional.of(LOCAL_SHARED), true, true, java.util.Optional.empty());

        ServiceDecision apEmptyEuNotYetExporting = engine.decide(new DecisionInput(onlyAp, List.of(heard("ap", 0,
                later, LOCAL_SHARED), heard("eu", 2, later, LOCAL_UNSHARED), usSilentBeforeApplying),
                java.util.Optional.of(leftOut), later));
        ServiceDecision apHealthy = engine.decide(new DecisionInput(onlyAp, List.of(heard("ap", 2, later,
                LOCAL_SHARED), heard("eu", 2, later, LOCAL_UNSHARED), usSilentBeforeApplying),
                java.util.Optional.of(leftOut), later));

        assertThat(apEmptyEuNotYetExporting.region("us").orElseThrow()).as("all ap surely reaches").satisfies(us -> {
            assertThat(us.hold()).isFalse();
            assertThat(us.state()).isEqualTo(RegionState.STALE);
            assertThat(us.reason()).isEqualTo(Reason.REGION_STALE);
            assertThat(us.annotations()).isEqualTo(LOCAL_SHARED);
        });
        assertThat(apHealthy.region("us").orElseThrow()).as("nobody needs it: fail static").satisfies(us -> {
            assertThat(us.hold()).isTrue();
            assertThat(us.annotations()).isEqualTo(LOCAL_UNSHARED);
        });
    }

    private static RegionInput heard(String region, int ready, Instant at, Map<String, String> applied) {
        return new RegionInput(region, Scenario.tally(ready, 2), at, java.util.Optional.of(at), java.util.Optional.of(
                applied), false, true, java.util.Optional.empty());
    }

    @Test
    void pinnedByPolicy_pinsTheAffinityWhateverTheHealth() {
        for (Mode mode : List.of(Mode.LOCAL, Mode.REMOTE, Mode.BALANCED)) {
            ServiceDecision decision = new Scenario().policy(Scenario.policy(mode)).region("us", 0, 2)
                    .region("eu", 2, 2).decide();

            assertThat(decision.regions()).allSatisfy(region -> {
                assertThat(region.reason()).isEqualTo(Reason.PINNED_BY_POLICY);
                assertThat(region.annotations()).containsEntry("service.cilium.io/global", "true")
                        .containsEntry("service.cilium.io/shared", "true");
                if (mode == Mode.BALANCED) {
                    assertThat(region.annotations()).doesNotContainKey("service.cilium.io/affinity");
                } else {
                    assertThat(region.annotations()).containsEntry("service.cilium.io/affinity", mode.wireName());
                }
            });
        }
    }

    @Test
    void unmanagedByPolicy_removesEveryOwnedAnnotation() {
        ServiceDecision decision = new Scenario().policy(Scenario.policy(Mode.UNMANAGED)).region("us", 2, 2)
                .decide();

        assertThat(decision.region("us").orElseThrow()).satisfies(us -> {
            assertThat(us.reason()).isEqualTo(Reason.UNMANAGED_BY_POLICY);
            assertThat(us.annotations()).isEmpty();
            assertThat(us.hold()).isFalse();
        });
    }

    @Test
    void failoverPriority_andMaxFailoverRegions_chooseWhichHealthyRegionsExport() {
        Policy onlyAp = Scenario.with(Mode.AUTO, 1, 0, Duration.ZERO, Duration.ofSeconds(30), List.of("ap", "eu"),
                1, Set.of());

        ServiceDecision decision = new Scenario().policy(onlyAp).region("us", 0, 2).region("eu", 2, 2)
                .region("ap", 2, 2).decide();

        assertOutcome(decision, "ap", Reason.LOCAL_HEALTHY, RegionState.HEALTHY, LOCAL_SHARED);
        assertOutcome(decision, "eu", Reason.LOCAL_HEALTHY, RegionState.HEALTHY, LOCAL_UNSHARED);
        assertOutcome(decision, "us", Reason.LOCAL_DEGRADED, RegionState.DEGRADED, REMOTE_UNSHARED);
    }

    @Test
    void failoverPriority_namingNoRegionThatExistsMakesNoTargetSoNothingFailsOver() {
        Policy unknownRegion = Scenario.with(Mode.AUTO, 1, 0, Duration.ZERO, Duration.ofSeconds(30), List.of("mars"),
                0, Set.of());

        ServiceDecision decision = new Scenario().policy(unknownRegion).region("us", 0, 2).region("eu", 2, 2)
                .decide();

        assertOutcome(decision, "us", Reason.NO_HEALTHY_TARGET, RegionState.DEGRADED, LOCAL_SHARED);
        assertOutcome(decision, "eu", Reason.LOCAL_HEALTHY, RegionState.HEALTHY, LOCAL_SHARED);
    }

    private static void assertOutcome(ServiceDecision decision, String region, Reason reason, RegionState state,
            Map<String, String> annotations) {
        assertThat(decision.region(region)).as(region).hasValueSatisfying(outcome -> {
            assertThat(outcome.reason()).as(region + " reason").isEqualTo(reason);
            assertThat(outcome.state()).as(region + " state").isEqualTo(state);
            assertThat(outcome.annotations()).as(region + " annotations").isEqualTo(annotations);
        });
    }

    private static Map<String, String> annotations(String shared, String affinity) {
        return Map.of("service.cilium.io/global", "true", "service.cilium.io/shared", shared,
                "service.cilium.io/affinity", affinity);
    }
}
