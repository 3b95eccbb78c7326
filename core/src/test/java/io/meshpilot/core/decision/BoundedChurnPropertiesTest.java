package io.meshpilot.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * SPEC §5b invariant 5 over the routing model: one region flapping between healthy and degraded every 1 to 5 s for a
 * minute, as the source of the incident or as the target the others failed over to, moves each region's clients at
 * most once away and once back.
 */
class BoundedChurnPropertiesTest {

    @Property(tries = 200)
    void oneFailoverAndOneFailbackPerRegionPerIncident(@ForAll long seed, @ForAll boolean flappingTarget,
            @ForAll @IntRange(min = 2, max = 3) int regionCount, @ForAll @IntRange(min = 0, max = 10) int failoverDelay) {
        List<String> regions = List.of("ap", "eu", "us").subList(0, regionCount);
        Policy policy = new Policy("*", Mode.AUTO, 2, 0, Duration.ofSeconds(failoverDelay), Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of());
        Mesh mesh = new Mesh(policy, Optional.empty());
        regions.forEach(region -> mesh.region(region, FailoverInvariantsPropertiesTest.tally(3, 0, 0, 0)));
        Random random = new Random(seed);
        String flapping = flappingTarget ? "eu" : "us";
        if (flappingTarget) {
            mesh.region("us", FailoverInvariantsPropertiesTest.tally(1, 0, 0, 0));
            if (regionCount == 3) {
                mesh.region("ap", FailoverInvariantsPropertiesTest.tally(1, 0, 0, 0));
            }
        }
        Map<String, int[]> moves = new HashMap<>();
        Map<String, Boolean> away = new HashMap<>();
        Runnable decideAndApply = () -> {
            ServiceDecision decision = mesh.decide();
            for (int round = 0; round < 4; round++) {
                mesh.apply(random, () -> { });
                decision = mesh.decide();
            }
            for (RegionOutcome outcome : decision.regions()) {
                boolean was = away.getOrDefault(outcome.region(), false);
                int[] counts = moves.computeIfAbsent(outcome.region(), region -> new int[2]);
                if (outcome.away() && !was) {
                    counts[0]++;
                } else if (!outcome.away() && was) {
                    counts[1]++;
                }
                away.put(outcome.region(), outcome.away());
            }
        };
        decideAndApply.run();
        boolean healthy = true;
        for (int elapsed = 0; elapsed < 60; ) {
            int wait = 1 + random.nextInt(5);
            healthy = !healthy;
            mesh.region(flapping, FailoverInvariantsPropertiesTest.tally(healthy ? 3 : 1, 0, 0, 0));
            decideAndApply.run();
            for (int second = 0; second < wait; second++) {
                mesh.pass(Duration.ofSeconds(1));
                decideAndApply.run();
            }
            elapsed += wait;
        }
        mesh.region(flapping, FailoverInvariantsPropertiesTest.tally(3, 0, 0, 0));
        for (int second = 0; second < 45; second++) {
            mesh.pass(Duration.ofSeconds(1));
            decideAndApply.run();
        }
        moves.forEach((region, counts) -> {
            assertThat(counts[0]).as("failovers of %s, %s flapping", region, flapping).isLessThanOrEqualTo(1);
            assertThat(counts[1]).as("failbacks of %s, %s flapping", region, flapping).isLessThanOrEqualTo(1);
        });
    }
}
