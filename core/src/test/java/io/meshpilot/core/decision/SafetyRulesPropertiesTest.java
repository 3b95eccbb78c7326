package io.meshpilot.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Issue 22, point 3: the safety rule {@code minExportingRegions} is never broken. However the health, the silences,
 * the hand-overs and the (rule-keeping) policy edits go, a decision leaves at least as many regions exporting as the
 * rule asks, unless fewer exported before it (the rule stops withdrawals; it starts no export).
 */
class SafetyRulesPropertiesTest {

    private final FailoverInvariantsPropertiesTest generators = new FailoverInvariantsPropertiesTest();

    @Property(tries = 300)
    void neverLeavesFewerRegionsExportingThanTheRuleAsks(@ForAll("ruled") Policy policy,
            @ForAll("histories") List<FailoverInvariantsPropertiesTest.Step> history,
            @ForAll("ttls") Optional<Duration> cacheTtl) {
        int rule = policy.minExportingRegions();
        List<FailoverInvariantsPropertiesTest.Step> keepingTheRule = history.stream().map(step ->
                new FailoverInvariantsPropertiesTest.Step(step.elapsed(), step.region(), step.endpoints(),
                        step.toggleSilence(), step.policy().map(edit -> edit.withMinExportingRegions(rule)),
                        step.handOver(), step.seed())).toList();
        boolean[] blocked = {false};
        FailoverInvariantsPropertiesTest.replay(policy, cacheTtl, keepingTheRule, (mesh, decision) -> {
            blocked[0] |= decision.regions().stream().anyMatch(outcome -> outcome.reason()
                    == Reason.BLOCKED_BY_SAFETY_RULE);
            long before = mesh.previousBefore.map(SafetyRulesPropertiesTest::exporting).orElse(0L);
            assertThat(exporting(decision)).as("exporting after %s, before %s, rule %d", decision,
                    mesh.previousBefore, rule).isGreaterThanOrEqualTo(Math.min(rule, before));
        });
        Statistics.label("a withdrawal blocked by the rule").collect(blocked[0]);
        Statistics.label("a withdrawal blocked by the rule").coverage(coverage -> coverage.check(true)
                .percentage(percentage -> percentage > 5.0));
    }

    private static long exporting(ServiceDecision decision) {
        return decision.regions().stream().filter(RegionOutcome::exporting).count();
    }

    @Provide
    Arbitrary<Policy> ruled() {
        return generators.autoPolicies().flatMap(policy -> Arbitraries.integers().between(1, 3)
                .map(policy::withMinExportingRegions));
    }

    @Provide
    Arbitrary<List<FailoverInvariantsPropertiesTest.Step>> histories() {
        return generators.histories();
    }

    @Provide
    Arbitrary<Optional<Duration>> ttls() {
        return generators.ttls();
    }
}
