package io.meshpilot.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.core.routing.Affinity;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class DecisionEnginePropertiesTest {

    private final DecisionEngine engine = new DecisionEngine();

    @Property
    void neverSendsTrafficRemoteWhenNoOtherRegionHasAReadyEndpoint(@ForAll("regions") List<RegionInput> regions) {
        ServiceDecision decision = engine.decide(Policy.DEFAULT, regions);

        for (RegionOutcome outcome : decision.regions()) {
            boolean otherHasReady = regions.stream()
                    .anyMatch(other -> !other.region().equals(outcome.region()) && other.endpoints().ready() > 0);
            if (!otherHasReady) {
                assertThat(outcome.config().affinity()).isNotEqualTo(Affinity.REMOTE);
            }
        }
    }

    @Property
    void givesTheSameDecisionForTheSameInputs(@ForAll("regions") List<RegionInput> regions) {
        assertThat(engine.decide(Policy.DEFAULT, regions)).isEqualTo(engine.decide(Policy.DEFAULT, regions));
    }

    @Property
    void decidesForEveryRegionAndMarksEveryServiceGlobal(@ForAll("regions") List<RegionInput> regions) {
        ServiceDecision decision = engine.decide(Policy.DEFAULT, regions);

        assertThat(decision.regions()).hasSameSizeAs(regions);
        assertThat(decision.regions()).allSatisfy(outcome -> assertThat(outcome.config().global()).isTrue());
    }

    @Provide
    Arbitrary<List<RegionInput>> regions() {
        Arbitrary<Integer> counts = Arbitraries.integers().between(0, 5);
        Arbitrary<EndpointTally> tallies = Combinators.combine(counts, counts)
                .as((ready, notReady) -> new EndpointTally(ready, ready, 0, ready, ready + notReady));
        Arbitrary<String> names = Arbitraries.strings().withChars("abcdefgh").ofMinLength(1).ofMaxLength(3);
        return Combinators.combine(names, tallies).as(RegionInput::new)
                .list().ofMaxSize(8).uniqueElements(RegionInput::region);
    }
}
