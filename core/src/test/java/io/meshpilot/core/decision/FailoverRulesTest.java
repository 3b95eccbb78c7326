package io.meshpilot.core.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.core.routing.Affinity;
import io.meshpilot.core.routing.CiliumServiceConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rules behind SPEC §5b, one example each: expected capacity, capacity-aware admission, the target tiers, the
 * last-resort export of a stale region, make before break on confirmed exports, and review times.
 */
class FailoverRulesTest {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final Map<String, String> LOCAL_SHARED = CiliumServiceConfig.global(true, Affinity.LOCAL)
            .annotations();
    private static final Map<String, String> REMOTE_UNSHARED = CiliumServiceConfig.global(false, Affinity.REMOTE)
            .annotations();

    private final DecisionEngine engine = new DecisionEngine();

    // Expected capacity

    @Test
    void aRegionScaledDownIsJudgedAgainstItsRecentPeakUntilTheWindowPasses() {
        Policy policy = policy(1, 0.5).withCapacity(Duration.ofMinutes(5), 1.0);
        ServiceDecision first = decide(policy, T0, Optional.empty(), fresh("us", 10, 10, T0), fresh("eu", 3, 3, T0));
        Instant later = T0.plusSeconds(60);
        ServiceDecision scaled = decide(policy, later, Optional.of(first), fresh("us", 1, 1, later),
                fresh("eu", 3, 3, later));

        RegionOutcome us = scaled.region("us").orElseThrow();
        assertThat(us.state()).isEqualTo(RegionState.DEGRADED);
        assertThat(us.capacity()).isEqualTo(10);
        assertThat(us.capacitySince()).isEqualTo(T0);
        assertThat(scaled.reviewAt()).as("the peak expires").contains(T0.plus(Duration.ofMinutes(5)));

        Instant expired = T0.plus(Duration.ofMinutes(5));
        ServiceDecision after = decide(policy, expired, Optional.of(scaled), fresh("us", 1, 1, expired),
                fresh("eu", 3, 3, expired));
        assertThat(after.region("us").orElseThrow().state()).isEqualTo(RegionState.HEALTHY);
        assertThat(after.region("us").orElseThrow().capacity()).isEqualTo(1);
    }

    @Test
    void aZeroWindowJudgesOnlyTheEndpointsPresentAndAHigherCountRaisesThePeak() {
        Policy none = policy(1, 0.5).withCapacity(Duration.ZERO, 1.0);
        ServiceDecision first = decide(none, T0, Optional.empty(), fresh("us", 10, 10, T0), fresh("eu", 3, 3, T0));
        ServiceDecision scaled = decide(none, T0.plusSeconds(1), Optional.of(first), fresh("us", 1, 1, T0),
                fresh("eu", 3, 3, T0));
        assertThat(scaled.region("us").orElseThrow().state()).isEqualTo(RegionState.HEALTHY);

        Policy window = policy(1, 0.5).withCapacity(Duration.ofMinutes(5), 1.0);
        ServiceDecision low = decide(window, T0, Optional.empty(), fresh("us", 4, 4, T0), fresh("eu", 3, 3, T0));
        ServiceDecision high = decide(window, T0.plusSeconds(1), Optional.of(low), fresh("us", 6, 6, T0),
                fresh("eu", 3, 3, T0));
        assertThat(high.region("us").orElseThrow().capacity()).isEqualTo(6);
        assertThat(high.region("us").orElseThrow().capacitySince()).isEqualTo(T0.plusSeconds(1));
        ServiceDecision again = decide(window, T0.plusSeconds(2), Optional.of(high), fresh("us", 6, 6, T0),
                fresh("eu", 3, 3, T0));
        assertThat(again.region("us").orElseThrow().capacitySince()).as("reaching the peak again restarts its window")
                .isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void aStaleRegionKeepsItsPeak() {
        Policy policy = policy(1, 0.5);
        ServiceDecision first = decide(policy, T0, Optional.empty(), fresh("us", 8, 8, T0), fresh("eu", 3, 3, T0));
        Instant later = T0.plusSeconds(30);
        ServiceDecision silent = decide(policy, later, Optional.of(first), heardAt("us", 2, 8, T0),
                fresh("eu", 3, 3, later));

        assertThat(silent.region("us").orElseThrow().capacity()).isEqualTo(8);
        assertThat(silent.region("us").orElseThrow().state()).isEqualTo(RegionState.STALE);
    }

    @Test
    void healthIsMeasuredAgainstTheLargerOfTheEndpointsPresentAndTheExpectedCapacity() {
        Policy policy = policy(2, 0.5);
        assertThat(policy.healthy(new EndpointTally(2, 2, 0, 2, 4), 0)).as("exactly half").isTrue();
        assertThat(policy.healthy(new EndpointTally(2, 2, 0, 2, 4), 5)).isFalse();
        assertThat(policy.healthy(new EndpointTally(2, 2, 0, 2, 2), 4)).as("exactly half of the peak").isTrue();
        assertThat(policy.healthy(new EndpointTally(1, 1, 0, 1, 1), 0)).as("below minReadyEndpoints").isFalse();
        assertThat(policy(1, 0.0).healthy(EndpointTally.NONE, 0)).isFalse();
        assertThat(policy(1, 0.0).healthy(new EndpointTally(1, 1, 0, 1, 0), 0)).isTrue();
        assertThat(policy(1, 0.0).healthy(new EndpointTally(1, 1, 0, 1, 1))).isTrue();
        assertThat(policy(2, 0.0).healthy(new EndpointTally(1, 1, 0, 1, 1))).isFalse();
    }

    @Test
    void rejectsCapacitySettingsOutOfRange() {
        Policy base = policy(1, 0);
        assertThat(base.withCapacity(Duration.ZERO, 0.0).capacityFactor()).isZero();
        assertThat(base.withCapacity(Duration.ZERO, 100.0).capacityFactor()).isEqualTo(100.0);
        assertThatThrownBy(() -> base.withCapacity(Duration.ofSeconds(-1), 1.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withCapacity(Duration.ZERO, 100.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withCapacity(Duration.ZERO, -0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withCapacity(Duration.ZERO, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(policy(1, 1.0).minReadyRatio()).isEqualTo(1.0);
        assertThat(policy(1, 0.0).minReadyRatio()).isZero();
        assertThatThrownBy(() -> policy(1, 1.01)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy(1, -0.01)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Policy.DEFAULT.capacityWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(Policy.DEFAULT.capacityFactor()).isEqualTo(1.0);
    }

    // Capacity-aware admission

    @Test
    void aDegradedRegionFailsOverOnlyWhenTheTargetsCoverItsLoad() {
        ServiceDecision small = decide(policy(1, 0.5), T0, Optional.empty(), fresh("us", 40, 100, T0),
                fresh("eu", 2, 2, T0));
        assertThat(small.region("us").orElseThrow()).satisfies(us -> {
            assertThat(us.reason()).isEqualTo(Reason.INSUFFICIENT_CAPACITY);
            assertThat(us.away()).isFalse();
            assertThat(us.annotations()).containsEntry(CiliumServiceConfig.SHARED, "false")
                    .containsEntry(CiliumServiceConfig.AFFINITY, "local");
        });
        assertThat(small.globalOutage()).isFalse();

        ServiceDecision halfEnough = decide(policy(1, 0.5).withCapacity(Duration.ofMinutes(5), 0.02), T0,
                Optional.empty(), fresh("us", 40, 100, T0), fresh("eu", 2, 2, T0));
        assertThat(halfEnough.region("us").orElseThrow().reason()).isEqualTo(Reason.LOCAL_DEGRADED);
    }

    @Test
    void aDegradedRegionMovesOntoTargetsWithMoreReadyEndpointsThanItHasEvenIfTheyCannotCoverItsLoad() {
        ServiceDecision decision = decide(policy(2, 0), T0, Optional.empty(), fresh("us", 1, 3, T0),
                fresh("eu", 2, 2, T0));
        assertThat(decision.region("us").orElseThrow().reason()).isEqualTo(Reason.LOCAL_DEGRADED);
    }

    @Test
    void theNeediestRegionGoesFirstAndADrainedRegionsLoadCounts() {
        Policy policy = policy(2, 0);
        ServiceDecision decision = decide(policy, T0, Optional.empty(), fresh("ap", 1, 3, T0),
                fresh("eu", 3, 3, T0), fresh("us", 0, 3, T0));
        assertThat(decision.region("us").orElseThrow().reason()).as("fewest active first")
                .isEqualTo(Reason.LOCAL_DEGRADED);
        assertThat(decision.region("ap").orElseThrow().reason()).isEqualTo(Reason.INSUFFICIENT_CAPACITY);

        Policy drainAp = new Policy("*", Mode.AUTO, 2, 0, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of("ap"));
        ServiceDecision drained = decide(drainAp, T0, Optional.empty(), fresh("ap", 3, 3, T0), fresh("eu", 3, 3, T0),
                fresh("us", 0, 3, T0));
        assertThat(drained.region("ap").orElseThrow().reason()).isEqualTo(Reason.DRAINED);
        assertThat(drained.region("us").orElseThrow().reason()).as("the drain took eu's capacity")
                .isEqualTo(Reason.INSUFFICIENT_CAPACITY);
    }

    @Test
    void aRegionAlreadyAwayKeepsItsShareOfTheTargetsBeforeANewOne() {
        Policy policy = policy(3, 0);
        ServiceDecision away = decide(policy, T0, Optional.empty(), fresh("us", 0, 3, T0), fresh("eu", 3, 3, T0),
                fresh("ap", 3, 3, T0).withoutExport());
        Instant later = T0.plusSeconds(5);
        ServiceDecision decision = decide(policy, later, Optional.of(away), fresh("us", 0, 3, later),
                fresh("eu", 3, 3, later), fresh("ap", 0, 3, later).withoutExport());

        assertThat(decision.region("us").orElseThrow().away()).isTrue();
        assertThat(decision.region("ap").orElseThrow().reason()).isEqualTo(Reason.INSUFFICIENT_CAPACITY);
    }

    @Test
    void aDrainedRegionThatIsDegradedServesWhenNothingElseCan() {
        Policy drainUs = new Policy("*", Mode.AUTO, 2, 0, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of("us"));
        ServiceDecision decision = decide(drainUs, T0, Optional.empty(), fresh("us", 1, 3, T0),
                fresh("eu", 0, 3, T0));

        assertThat(decision.region("us").orElseThrow()).satisfies(us -> {
            assertThat(us.reason()).isEqualTo(Reason.DRAIN_OVERRIDDEN);
            assertThat(us.annotations()).isEqualTo(LOCAL_SHARED);
        });
        assertThat(decision.globalOutage()).isTrue();
    }

    @Test
    void aRegionAlreadyAwayStaysAwayWhateverTheTargetsSize() {
        Policy policy = policy(2, 0);
        ServiceDecision away = decide(policy, T0, Optional.empty(), fresh("us", 0, 3, T0), fresh("eu", 3, 3, T0));
        assertThat(away.region("us").orElseThrow().away()).isTrue();
        Instant later = T0.plusSeconds(5);
        ServiceDecision shrunk = decide(policy, later, Optional.of(away), fresh("us", 0, 3, later),
                fresh("eu", 2, 3, later));

        assertThat(shrunk.region("us").orElseThrow()).satisfies(us -> {
            assertThat(us.away()).isTrue();
            assertThat(us.reason()).isEqualTo(Reason.LOCAL_DEGRADED);
        });
    }

    // Target tiers and outages

    @Test
    void withNoFreshTargetEveryFreshRegionExportsAndRegionsAwayStayAway() {
        Policy policy = policy(2, 0);
        ServiceDecision away = decide(policy, T0, Optional.empty(), fresh("us", 1, 3, T0), fresh("eu", 3, 3, T0));
        Instant later = T0.plusSeconds(5);
        ServiceDecision outage = decide(policy, later, Optional.of(away), fresh("us", 1, 3, later),
                fresh("eu", 1, 3, later));

        assertThat(outage.globalOutage()).isTrue();
        assertThat(outage.region("us").orElseThrow()).satisfies(us -> {
            assertThat(us.away()).as("clients stay where they are").isTrue();
            assertThat(us.exporting()).isTrue();
            assertThat(us.reason()).isEqualTo(Reason.NO_HEALTHY_TARGET);
        });
        assertThat(outage.region("eu").orElseThrow()).satisfies(eu -> {
            assertThat(eu.away()).isFalse();
            assertThat(eu.annotations()).isEqualTo(LOCAL_SHARED);
            assertThat(eu.reason()).isEqualTo(Reason.NO_HEALTHY_TARGET);
        });
    }

    @Test
    void aRegionThatCannotExportIsNeverATarget() {
        ServiceDecision decision = decide(policy(1, 0), T0, Optional.empty(), fresh("us", 0, 3, T0),
                new RegionInput("eu", tally(3, 3), T0, Optional.of(T0), Optional.empty(), false, false,
                        Optional.empty()));

        assertThat(decision.globalOutage()).isTrue();
        assertThat(decision.region("eu").orElseThrow().reason()).isEqualTo(Reason.LOCAL_HEALTHY);
        assertThat(decision.region("us").orElseThrow().reason()).isEqualTo(Reason.NO_HEALTHY_TARGET);
    }

    @Test
    void aPinnedServiceIsAGlobalOutageOnlyWhenNothingIsHealthy() {
        Policy pinned = new Policy("*", Mode.LOCAL, 1, 0, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of());
        assertThat(decide(pinned, T0, Optional.empty(), fresh("us", 0, 3, T0), fresh("eu", 0, 3, T0))
                .globalOutage()).isTrue();
        assertThat(decide(pinned, T0, Optional.empty(), fresh("us", 0, 3, T0), fresh("eu", 1, 3, T0))
                .globalOutage()).isFalse();
        assertThat(decide(pinned, T0, Optional.empty()).globalOutage()).isFalse();
        assertThat(decide(pinned, T0, Optional.empty(), fresh("us", 0, 3, T0)).region("us").orElseThrow()
                .away()).isFalse();
    }

    // No blackhole: the last-resort export

    @Test
    void aStaleRegionThatWithdrewIsExportedAgainWhenItHasTheOnlyBackends() {
        Policy policy = policy(2, 0);
        ServiceDecision withdrawn = decide(policy, T0, Optional.empty(), confirmed(fresh("us", 1, 3, T0),
                LOCAL_SHARED), confirmed(fresh("eu", 3, 3, T0), LOCAL_SHARED));
        assertThat(withdrawn.region("us").orElseThrow().exporting()).isFalse();
        Instant later = T0.plusSeconds(30);
        ServiceDecision decision = decide(policy, later, Optional.of(withdrawn), heardAt("us", 1, 3, T0),
                fresh("eu", 0, 3, later));

        assertThat(decision.globalOutage()).isTrue();
        assertThat(decision.region("us").orElseThrow()).satisfies(us -> {
            assertThat(us.hold()).as("published").isFalse();
            assertThat(us.reason()).isEqualTo(Reason.LAST_RESORT_EXPORT);
            assertThat(us.annotations()).containsEntry(CiliumServiceConfig.SHARED, "true")
                    .containsEntry(CiliumServiceConfig.GLOBAL, "true");
        });
    }

    @Test
    void theRegionWithMoreBackendsIsExportedFirstAndAForgottenOneNotAtAll() {
        Policy policy = policy(2, 0);
        Optional<ServiceDecision> withdrawn = Optional.of(decide(policy, T0, Optional.empty(),
                fresh("us", 1, 3, T0), fresh("ap", 1, 3, T0), fresh("eu", 3, 3, T0)));
        Instant later = T0.plusSeconds(30);
        ServiceDecision decision = decide(policy, later, withdrawn, heardAt("us", 1, 3, T0),
                heardAt("ap", 0, 3, T0), fresh("eu", 0, 3, later));
        assertThat(decision.region("us").orElseThrow().reason()).isEqualTo(Reason.LAST_RESORT_EXPORT);
        assertThat(decision.region("ap").orElseThrow().hold()).isTrue();

        ServiceDecision remembered = decide(policy, later, withdrawn, heardAt("us", 1, 3, T0),
                heardAt("ap", 0, 3, T0), ttl(fresh("eu", 0, 3, later), Duration.ofSeconds(60)));
        assertThat(remembered.region("us").orElseThrow().reason()).as("within Cilium's cache TTL")
                .isEqualTo(Reason.LAST_RESORT_EXPORT);

        ServiceDecision forgotten = decide(policy, later, withdrawn, heardAt("us", 1, 3, T0),
                ttl(heardAt("ap", 0, 3, T0), Duration.ofSeconds(20)), ttl(fresh("eu", 0, 3, later),
                        Duration.ofSeconds(20)));
        assertThat(forgotten.region("us").orElseThrow().hold()).as("Cilium forgot us's backends").isTrue();
        assertThat(forgotten.reviewAt()).isEmpty();
    }

    @Test
    void ofTwoStaleRegionsTheOneWithMoreBackendsIsExported() {
        Policy policy = policy(3, 0);
        Optional<ServiceDecision> withdrawn = Optional.of(decide(policy, T0, Optional.empty(),
                fresh("ap", 1, 3, T0), fresh("us", 2, 3, T0), fresh("eu", 3, 3, T0)));
        Instant later = T0.plusSeconds(30);
        ServiceDecision decision = decide(policy, later, withdrawn, heardAt("ap", 1, 3, T0),
                heardAt("us", 2, 3, T0), fresh("eu", 0, 3, later));

        assertThat(decision.region("us").orElseThrow().reason()).isEqualTo(Reason.LAST_RESORT_EXPORT);
        assertThat(decision.region("ap").orElseThrow().hold()).isTrue();
    }

    @Test
    void aStaleRegionWithNoBackendIsNotReviewedForItsCacheTtl() {
        Policy policy = policy(1, 0);
        ServiceDecision first = decide(policy, T0, Optional.empty(), fresh("us", 3, 3, T0), fresh("eu", 3, 3, T0));
        Instant later = T0.plusSeconds(20);
        ServiceDecision decision = decide(policy, later, Optional.of(first), ttl(fresh("us", 3, 3, later),
                Duration.ofSeconds(60)), heardAt("eu", 0, 3, T0));
        assertThat(decision.reviewAt()).isEmpty();
    }

    @Test
    void aStaleExportingRegionIsReviewedWhenItsCacheTtlRunsOut() {
        Policy policy = policy(1, 0);
        ServiceDecision first = decide(policy, T0, Optional.empty(), fresh("us", 0, 3, T0), fresh("eu", 3, 3, T0));
        Instant later = T0.plusSeconds(20);
        ServiceDecision decision = decide(policy, later, Optional.of(first), ttl(fresh("us", 0, 3, later),
                Duration.ofSeconds(60)), ttl(heardAt("eu", 3, 3, T0), Duration.ofSeconds(5)));
        assertThat(decision.reviewAt()).as("us forgets eu; eu's own cache TTL is not about eu")
                .contains(T0.plusSeconds(60));

        ServiceDecision forever = decide(policy, later, Optional.of(first), fresh("us", 0, 3, later),
                heardAt("eu", 3, 3, T0));
        assertThat(forever.reviewAt()).isEmpty();
        assertThat(heardAt("eu", 3, 3, T0).forgottenBy(ttl(fresh("us", 0, 3, later), Duration.ofSeconds(60))))
                .contains(T0.plusSeconds(60));
        assertThat(heardAt("eu", 3, 3, T0).forgottenBy(fresh("us", 0, 3, later))).isEmpty();
    }

    // Make before break

    @Test
    void aWithdrawalWaitsUntilTheNewTargetsExportIsConfirmed() {
        Policy policy = new Policy("*", Mode.AUTO, 1, 0, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of("eu", "ap"), 1, Set.of());
        ServiceDecision before = decide(policy, T0, Optional.empty(), confirmed(fresh("ap", 3, 3, T0), LOCAL_SHARED),
                confirmed(fresh("eu", 3, 3, T0), LOCAL_SHARED), confirmed(fresh("us", 3, 3, T0), LOCAL_SHARED));
        Map<String, String> apWithdrawn = before.region("ap").orElseThrow().annotations();
        Map<String, String> usWithdrawn = before.region("us").orElseThrow().annotations();
        Instant later = T0.plusSeconds(5);
        ServiceDecision held = decide(policy, later, Optional.of(before), confirmed(fresh("ap", 3, 3, later),
                apWithdrawn), confirmed(fresh("eu", 0, 3, later), LOCAL_SHARED), confirmed(fresh("us", 3, 3, later),
                usWithdrawn));

        assertThat(held.region("ap").orElseThrow().annotations()).containsEntry(CiliumServiceConfig.SHARED, "true");
        assertThat(held.region("eu").orElseThrow()).satisfies(eu -> {
            assertThat(eu.annotations()).as("eu exports until ap's export is applied")
                    .containsEntry(CiliumServiceConfig.SHARED, "true")
                    .containsEntry(CiliumServiceConfig.AFFINITY, "remote");
            assertThat(eu.awaiting()).containsExactly("ap");
        });

        ServiceDecision released = decide(policy, later.plusSeconds(1), Optional.of(held),
                confirmed(fresh("ap", 3, 3, later), LOCAL_SHARED), confirmed(fresh("eu", 0, 3, later),
                        held.region("eu").orElseThrow().annotations()), confirmed(fresh("us", 3, 3, later),
                        usWithdrawn));
        assertThat(released.region("eu").orElseThrow()).satisfies(eu -> {
            assertThat(eu.annotations()).isEqualTo(REMOTE_UNSHARED);
            assertThat(eu.awaiting()).isEmpty();
        });
    }

    @Test
    void anUnconfirmedRegionIsNotCountedAsExportingButAWithdrawalThatStrandsNobodyGoesOut() {
        Policy policy = policy(1, 0);
        ServiceDecision first = decide(policy, T0, Optional.empty(), confirmed(fresh("us", 3, 3, T0), LOCAL_SHARED),
                confirmed(fresh("eu", 3, 3, T0), LOCAL_SHARED));
        Instant later = T0.plusSeconds(5);
        ServiceDecision decision = decide(policy, later, Optional.of(first), confirmed(fresh("us", 0, 3, later),
                LOCAL_SHARED), confirmed(fresh("eu", 3, 3, later), LOCAL_SHARED));

        assertThat(decision.region("us").orElseThrow().annotations()).isEqualTo(REMOTE_UNSHARED);
        assertThat(decision.region("us").orElseThrow().awaiting()).isEmpty();
    }

    @Test
    void withNothingKnownOfWhatTheAgentsAppliedAFirstWithdrawalWaitsForTheTargetsExport() {
        ServiceDecision decision = decide(policy(1, 0), T0, Optional.empty(),
                new RegionInput("us", tally(0, 3), T0, Optional.of(T0)),
                new RegionInput("eu", tally(3, 3), T0, Optional.of(T0)));

        assertThat(decision.region("us").orElseThrow()).satisfies(us -> {
            assertThat(us.annotations()).containsEntry(CiliumServiceConfig.SHARED, "true")
                    .containsEntry(CiliumServiceConfig.AFFINITY, "remote");
            assertThat(us.awaiting()).containsExactly("eu");
        });
    }

    @Test
    void anExportWithAWithdrawalInFlightIsNotSure() {
        Policy policy = policy(1, 0);
        ServiceDecision first = decide(policy, T0, Optional.empty(), fresh("us", 3, 3, T0), fresh("eu", 3, 3, T0));
        Instant later = T0.plusSeconds(5);
        RegionInput euWithdrawing = new RegionInput("eu", tally(3, 3), later, Optional.of(later),
                Optional.of(LOCAL_SHARED), true, true, Optional.empty());
        ServiceDecision decision = decide(policy, later, Optional.of(first), fresh("us", 0, 3, later),
                euWithdrawing);

        assertThat(decision.region("us").orElseThrow().awaiting()).containsExactly("eu");
        assertThat(decision.region("us").orElseThrow().annotations()).containsEntry(CiliumServiceConfig.SHARED,
                "true");
    }

    @Test
    void anOutcomeTellsItsAffinityFromItsAnnotations() {
        RegionOutcome none = new RegionOutcome("us", RegionState.HEALTHY, T0, false, false, Map.of(),
                Reason.UNMANAGED_BY_POLICY, false);
        RegionOutcome remote = new RegionOutcome("us", RegionState.DEGRADED, T0, true, false, REMOTE_UNSHARED,
                Reason.LOCAL_DEGRADED, false);
        assertThat(none.affinity()).isEmpty();
        assertThat(remote.affinity()).contains(Affinity.REMOTE);
    }

    // Rebuilding the previous decision after a hand-over

    @Test
    void rebuildsThePreviousDecisionFromTheDirectivesOnTheTopics() {
        Instant since = T0.minusSeconds(40);
        Optional<ServiceDecision> rebuilt = PreviousDecision.from(Policy.DEFAULT, List.of(
                new PublishedDirective("us", REMOTE_UNSHARED, "failback-pending", Optional.of(RegionState.HEALTHY),
                        Optional.of(since), T0),
                new PublishedDirective("eu", LOCAL_SHARED, "drain-overridden", Optional.empty(), Optional.empty(), T0),
                new PublishedDirective("ap", LOCAL_SHARED, "insufficient-capacity", Optional.empty(),
                        Optional.empty(), T0),
                new PublishedDirective("sa", Map.of(), "no-such-reason", Optional.empty(), Optional.empty(), T0)));

        ServiceDecision decision = rebuilt.orElseThrow();
        assertThat(decision.region("us").orElseThrow()).satisfies(us -> {
            assertThat(us.away()).isTrue();
            assertThat(us.exporting()).isFalse();
            assertThat(us.since()).isEqualTo(since);
            assertThat(us.state()).isEqualTo(RegionState.HEALTHY);
            assertThat(us.reason()).isEqualTo(Reason.FAILBACK_PENDING);
        });
        assertThat(decision.region("eu").orElseThrow()).satisfies(eu -> {
            assertThat(eu.state()).isEqualTo(RegionState.DRAINED);
            assertThat(eu.since()).isEqualTo(T0);
            assertThat(eu.away()).isFalse();
            assertThat(eu.exporting()).isTrue();
        });
        assertThat(decision.region("ap").orElseThrow().state()).isEqualTo(RegionState.DEGRADED);
        assertThat(decision.region("sa").orElseThrow()).satisfies(sa -> {
            assertThat(sa.reason()).isEqualTo(Reason.LOCAL_HEALTHY);
            assertThat(sa.exporting()).isFalse();
            assertThat(sa.away()).isFalse();
        });
        assertThat(PreviousDecision.from(Policy.DEFAULT, List.of())).isEmpty();
    }

    @Test
    void readsEveryReasonBackFromItsWireName() {
        for (Reason reason : Reason.values()) {
            assertThat(Reason.fromWire(reason.wireName())).contains(reason);
        }
        assertThat(Reason.fromWire("drain-overridden")).contains(Reason.DRAIN_OVERRIDDEN);
        assertThat(Reason.fromWire("nonsense")).isEmpty();
    }

    private ServiceDecision decide(Policy policy, Instant now, Optional<ServiceDecision> previous,
            RegionInput... regions) {
        return engine.decide(new DecisionInput(policy, new ArrayList<>(List.of(regions)), previous, now));
    }

    /** A region heard now whose agent has applied the walkthrough's annotations (global, shared, local). */
    private static RegionInput fresh(String region, int ready, int total, Instant now) {
        return confirmed(new RegionInput(region, tally(ready, total), now, Optional.of(now)), LOCAL_SHARED);
    }

    private static RegionInput heardAt(String region, int ready, int total, Instant heard) {
        return confirmed(new RegionInput(region, tally(ready, total), heard, Optional.of(heard)), LOCAL_SHARED);
    }

    private static RegionInput confirmed(RegionInput region, Map<String, String> applied) {
        return new RegionInput(region.region(), region.endpoints(), region.observedAt(), region.lastHeard(),
                Optional.of(applied), false, region.exportable(), region.cacheTtl());
    }

    private static RegionInput ttl(RegionInput region, Duration cacheTtl) {
        return new RegionInput(region.region(), region.endpoints(), region.observedAt(), region.lastHeard(),
                region.applied(), region.withdrawalInFlight(), region.exportable(), Optional.of(cacheTtl));
    }

    private static EndpointTally tally(int ready, int total) {
        return new EndpointTally(ready, ready, 0, ready, total);
    }

    private static Policy policy(int minReady, double ratio) {
        return new Policy("*", Mode.AUTO, minReady, ratio, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of());
    }
}
