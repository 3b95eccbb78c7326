package io.meshpilot.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.core.routing.Affinity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The engine's invariants (issue 4), over random policies and random histories of health, silence and time: each
 * step decides from the previous decision, as the control plane does.
 */
class DecisionEnginePropertiesTest {

    private static final List<String> REGIONS = List.of("ap", "eu", "sa", "us");

    /** One moment of a history: how long since the last, and each region's health (null: the agent is silent). */
    record Step(Duration elapsed, List<Health> regions) {
    }

    record Health(int ready, int total, boolean silent) {
    }

    private final DecisionEngine engine = new DecisionEngine();

    @Property
    void a_neverSendsTrafficRemoteWhenNoOtherRegionHasAReadyEndpoint(@ForAll("autoPolicies") Policy policy,
            @ForAll("histories") List<Step> history) {
        replay(policy, history, (input, previous, decision) -> {
            for (RegionOutcome outcome : decision.regions()) {
                if (!outcome.hold() && outcome.affinity().equals(Optional.of(Affinity.REMOTE))) {
                    assertThat(input.regions()).anySatisfy(other -> {
                        assertThat(other.region()).isNotEqualTo(outcome.region());
                        assertThat(other.endpoints().ready()).isPositive();
                    });
                }
            }
        });
    }

    @Property
    void b_neverWithdrawsEveryRegionThatHasReadyEndpoints(@ForAll("autoPolicies") Policy policy,
            @ForAll("histories") List<Step> history) {
        replay(policy, history, (input, previous, decision) -> {
            List<RegionOutcome> withReady = decision.regions().stream().filter(outcome -> !outcome.hold())
                    .filter(outcome -> input.regions().stream().anyMatch(region ->
                            region.region().equals(outcome.region()) && region.endpoints().ready() > 0))
                    .toList();
            if (!withReady.isEmpty()) {
                assertThat(withReady).anySatisfy(outcome ->
                        assertThat(outcome.annotations()).containsEntry("service.cilium.io/shared", "true"));
            }
        });
    }

    @Property
    void c_keepsARegionAwayUntilItHasBeenHealthyForTheFailbackDelay(@ForAll("autoPolicies") Policy policy,
            @ForAll("histories") List<Step> history) {
        replay(policy, history, (input, previous, decision) -> {
            for (RegionOutcome outcome : decision.regions()) {
                boolean wasAway = previous.flatMap(p -> p.region(outcome.region())).map(RegionOutcome::away)
                        .orElse(false);
                boolean recentlyHealthy = outcome.state() == RegionState.HEALTHY
                        && outcome.since().plus(policy.failbackDelay()).isAfter(input.now());
                boolean targetExists = decision.regions().stream().anyMatch(RegionOutcome::exporting);
                if (wasAway && recentlyHealthy && targetExists && !decision.globalOutage()) {
                    assertThat(outcome.affinity()).contains(Affinity.REMOTE);
                    assertThat(outcome.reason()).isEqualTo(Reason.FAILBACK_PENDING);
                }
            }
        });
    }

    @Property
    void d_givesTheSameDecisionForTheSameInputs(@ForAll("anyPolicies") Policy policy,
            @ForAll("histories") List<Step> history) {
        replay(policy, history, (input, previous, decision) ->
                assertThat(engine.decide(input)).isEqualTo(decision));
    }

    @Property
    void e_aPolicyPinAlwaysWins(@ForAll("pins") Mode pin, @ForAll("histories") List<Step> history) {
        replay(Scenario.policy(pin), history, (input, previous, decision) -> {
            assertThat(decision.regions()).allSatisfy(outcome -> {
                assertThat(outcome.hold()).isFalse();
                switch (pin) {
                    case UNMANAGED -> assertThat(outcome.annotations()).isEmpty();
                    case BALANCED -> assertThat(outcome.affinity()).contains(Affinity.BALANCED);
                    case LOCAL -> assertThat(outcome.affinity()).contains(Affinity.LOCAL);
                    case REMOTE -> assertThat(outcome.affinity()).contains(Affinity.REMOTE);
                    default -> throw new AssertionError(pin);
                }
            });
        });
    }

    @Property
    void f_aStaleRegionKeepsItsLastDirective(@ForAll("autoPolicies") Policy policy,
            @ForAll("histories") List<Step> history) {
        replay(policy, history, (input, previous, decision) -> {
            for (RegionOutcome outcome : decision.regions()) {
                Optional<RegionOutcome> last = previous.flatMap(p -> p.region(outcome.region()));
                if (outcome.state() == RegionState.STALE && last.isPresent()) {
                    assertThat(outcome.hold()).isTrue();
                    assertThat(outcome.annotations()).isEqualTo(last.get().annotations());
                }
            }
        });
    }

    /** Checks a decision against the input it came from and the decision before it. */
    interface Check {
        void check(DecisionInput input, Optional<ServiceDecision> previous, ServiceDecision decision);
    }

    private void replay(Policy policy, List<Step> history, Check check) {
        Instant now = Scenario.T0;
        List<Instant> lastHeard = new ArrayList<>(List.of(now, now, now, now));
        Optional<ServiceDecision> previous = Optional.empty();
        for (Step step : history) {
            now = now.plus(step.elapsed());
            List<RegionInput> regions = new ArrayList<>();
            for (int i = 0; i < REGIONS.size(); i++) {
                Health health = step.regions().get(i);
                if (health == null) {
                    continue;
                }
                if (!health.silent()) {
                    lastHeard.set(i, now);
                }
                regions.add(new RegionInput(REGIONS.get(i), new EndpointTally(health.ready(), health.ready(), 0,
                        health.ready(), health.total()), now, Optional.of(lastHeard.get(i))));
            }
            DecisionInput input = new DecisionInput(policy, regions, previous, now);
            ServiceDecision decision = engine.decide(input);
            check.check(input, previous, decision);
            previous = Optional.of(decision);
        }
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Health> health = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 2), Arbitraries.of(false, false, false, true))
                .as((ready, more, silent) -> new Health(ready, ready + more, silent));
        Arbitrary<Health> maybe = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, health),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((Health) null)));
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 40).map(Duration::ofSeconds),
                maybe.list().ofSize(REGIONS.size())).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<Policy> autoPolicies() {
        Arbitrary<Duration> delays = Arbitraries.of(0, 5, 30).map(Duration::ofSeconds);
        Arbitrary<List<String>> priority = Arbitraries.subsetOf(REGIONS).map(ArrayList::new)
                .flatMap(regions -> Arbitraries.shuffle(regions));
        Arbitrary<Set<String>> drain = Arbitraries.subsetOf(REGIONS).ofMaxSize(2);
        return Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.of(0.0, 0.5), delays, delays,
                priority, Arbitraries.integers().between(0, 2), drain)
                .as((minReady, ratio, failover, failback, order, max, drained) -> new Policy("*", Mode.AUTO, minReady,
                        ratio, failover, failback, Duration.ofSeconds(15), order, max, drained));
    }

    @Provide
    Arbitrary<Policy> anyPolicies() {
        return Arbitraries.oneOf(autoPolicies(), pins().map(Scenario::policy));
    }

    @Provide
    Arbitrary<Mode> pins() {
        return Arbitraries.of(Mode.LOCAL, Mode.REMOTE, Mode.BALANCED, Mode.UNMANAGED);
    }
}
