package io.meshpilot.core.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.RegionInput;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class WhatIfPropertiesTest {

    static final List<String> REGIONS = List.of("ap", "eu", "us");
    final WhatIf whatIf = new WhatIf();

    @Property
    void anEmptyHypothesisChangesNothing(@ForAll @Size(3) List<@IntRange(max = 4) Integer> ready) {
        WhatIfReport report = whatIf.simulate(List.of(snapshot(ready)), Hypothesis.of(), WhatIfTest.NOW);

        assertThat(report.changed()).isEmpty();
    }

    /** SPEC §5b invariant 1 on the state the simulation settles in, every agent heard. */
    @Property
    void onceSettledNoRegionIsBlackholedWhileAnyHasABackend(@ForAll @Size(3) List<@IntRange(max = 4) Integer> ready,
            @ForAll("changes") List<RegionChange> changes) {
        ServiceEffect effect = whatIf.effect(snapshot(ready), new Hypothesis(changes, java.util.Map.of()),
                WhatIfTest.NOW);

        assertThat(effect.settled()).isTrue();
        if (readyAfter(ready, changes).stream().anyMatch(count -> count > 0)) {
            assertThat(effect.blackholedAfter()).as("%s", effect).isEmpty();
        }
    }

    private static List<Integer> readyAfter(List<Integer> ready, List<RegionChange> changes) {
        List<Integer> after = new ArrayList<>(ready);
        for (RegionChange change : changes) {
            if (change.kind() != RegionChange.Kind.DRAINED) {
                after.set(REGIONS.indexOf(change.region()), change.ready());
            }
        }
        return after;
    }

    @Provide
    Arbitrary<List<RegionChange>> changes() {
        Arbitrary<RegionChange> change = Combinators.combine(
                Arbitraries.of(RegionChange.Kind.DOWN, RegionChange.Kind.DEGRADED, RegionChange.Kind.DRAINED),
                Arbitraries.of(REGIONS), Arbitraries.integers().between(0, 4))
                .as((kind, region, ready) -> new RegionChange(kind, region,
                        kind == RegionChange.Kind.DEGRADED ? ready : 0));
        return change.list().ofMaxSize(3);
    }

    static ServiceSnapshot snapshot(List<Integer> ready) {
        List<RegionInput> regions = new ArrayList<>();
        for (int i = 0; i < REGIONS.size(); i++) {
            regions.add(WhatIfTest.region(REGIONS.get(i), ready.get(i)));
        }
        return WhatIfTest.service("default/hello-world", Policy.DEFAULT, regions.toArray(RegionInput[]::new));
    }
}
