package io.meshpilot.controlplane.decisions;

import static io.meshpilot.controlplane.decisions.LoopMesh.counts;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.decision.Mode;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.RegionOutcome;
import io.meshpilot.core.decision.ServiceDecision;
import io.meshpilot.core.health.Endpoint;
import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.schemas.EndpointCounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * SPEC §5b's invariants checked after every step of random histories through the real {@link DecisionLoop}, with the
 * manual clock: health that changes (ready, serving only, terminating endpoints), agents that fall silent and come
 * back, policies edited mid-history, hand-overs to a replica that knows only the topics, and directives applied
 * region by region in a random order. Then the multi-fault cases that broke the first engine, one test each.
 */
class DecisionLoopInvariantsTest {

    private static final List<String> REGIONS = List.of("ap", "eu", "us");

    /** 150 tries (jqwik.tries.default in junit-platform.properties); a longer run overrides it. */
    @Property
    void everyStepKeepsTheInvariants(@ForAll long seed) {
        Random random = new Random(seed);
        LoopMesh mesh = new LoopMesh(policy(random), REGIONS, 3);
        for (int step = 0; step < 40; step++) {
            String region = REGIONS.get(random.nextInt(REGIONS.size()));
            int action = random.nextInt(100);
            if (action < 40) {
                mesh.health(region, endpoints(random));
            } else if (action < 50) {
                mesh.silence(region, !mesh.silent.get(region));
            } else if (action < 56) {
                mesh.policy(policy(random));
            } else if (action < 60) {
                mesh.handOver();
            } else {
                mesh.pass(Duration.ofSeconds(1 + random.nextInt(20)));
            }
            check(mesh, random, "seed " + seed + ", step " + step);
        }
    }

    /**
     * Histories that once broke an invariant: a withdrawal in flight made unsafe by a later health change
     * (323042942290360779), and re-decisions that were not fixpoints (1303911074, -1286).
     */
    @Test
    void historiesThatOnceBrokeAnInvariant() {
        for (long seed : new long[] {323042942290360779L, 1303911074L, -1286L}) {
            everyStepKeepsTheInvariants(seed);
        }
    }

    private static void check(LoopMesh mesh, Random random, String where) {
        List<String> strandedByTheChange = mesh.blackholed();
        mesh.afterEachApplication = region -> assertThat(strandedByTheChange)
                .as("%s: applying %s stranded clients; applied %s; health %s; decision %s", where, region,
                        mesh.applied, mesh.health(), mesh.decision())
                .containsAll(mesh.blackholed());
        if (random.nextBoolean()) {
            mesh.settle(random);
            if (!mesh.silent.containsValue(true)) {
                assertThat(mesh.blackholed()).as("%s: settled with every agent heard; applied %s, decision %s", where,
                        mesh.applied, mesh.decision()).isEmpty();
            }
        } else {
            REGIONS.stream().filter(region -> random.nextBoolean()).forEach(mesh::apply);
        }
        Object before = mesh.decision() + " at " + mesh.time.instant() + ", heard " + REGIONS.stream().map(r -> r
                + "=" + mesh.liveness.lastHeard(r).orElse(null) + "/" + mesh.records(r).health().endpoints()).toList();
        boolean reviewDue = mesh.decision().flatMap(ServiceDecision::reviewAt)
                .map(at -> !mesh.time.instant().isBefore(at)).orElse(false);
        assertThat(reviewDue ? List.of() : mesh.decideAgain()).as("%s: deciding again with nothing changed published; decision was %s", where,
                before).isEmpty();
        mesh.decision().filter(ServiceDecision::globalOutage).ifPresent(decision -> {
            for (RegionOutcome outcome : decision.regions()) {
                boolean eligible = decision.policy().failoverPriority().isEmpty()
                        || decision.policy().failoverPriority().contains(outcome.region());
                assertThat(eligible && !mesh.stale(outcome.region()) && decision.policy().healthy(
                        tally(mesh.records(outcome.region()).health().endpoints()), outcome.capacity()))
                        .as("%s: %s is fresh, healthy and eligible during a reported outage", where, outcome.region())
                        .isFalse();
            }
        });
    }

    @Test
    void aRegionThatRecoveredTakesTheTrafficOfOneThatFailsWhileItsFailbackIsPending() {
        Policy policy = new Policy("*", Mode.AUTO, 2, 0, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of());
        LoopMesh mesh = new LoopMesh(policy, List.of("eu", "us"), 3);
        Random random = new Random(1);
        mesh.pass(Duration.ofSeconds(5));
        mesh.health("eu", counts(0, 3));
        mesh.settle(random);
        mesh.pass(Duration.ofSeconds(10));
        mesh.health("eu", counts(3, 3));
        mesh.settle(random);
        mesh.pass(Duration.ofSeconds(5));
        mesh.health("us", counts(1, 3));

        assertThat(mesh.decision().orElseThrow().globalOutage()).isFalse();
        assertThat(mesh.unapplied.get("us").annotations()).containsEntry("service.cilium.io/affinity", "remote");
        mesh.settle(random);
        mesh.pass(Duration.ofSeconds(1));
        assertThat(mesh.decision().orElseThrow().globalOutage()).isFalse();
        assertThat(mesh.applied.get("us")).containsEntry("service.cilium.io/affinity", "remote");
        assertThat(mesh.applied.get("eu")).containsEntry("service.cilium.io/affinity", "local")
                .containsEntry("service.cilium.io/shared", "true");
        mesh.pass(Duration.ofSeconds(600));
        assertThat(mesh.decision().orElseThrow().globalOutage()).isFalse();
    }

    @Test
    void aWithdrawnRegionThatFallsSilentIsExportedAgainWhenItHasTheOnlyBackends() {
        Policy policy = new Policy("*", Mode.AUTO, 2, 0, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of());
        LoopMesh mesh = new LoopMesh(policy, List.of("eu", "us"), 3);
        Random random = new Random(2);
        mesh.health("us", counts(1, 3));
        mesh.settle(random);
        assertThat(mesh.applied.get("us")).containsEntry("service.cilium.io/shared", "false");
        mesh.silence("us", true);
        mesh.pass(Duration.ofSeconds(20));
        mesh.health("eu", counts(0, 3));
        mesh.settle(random);

        ServiceDecision decision = mesh.decision().orElseThrow();
        assertThat(decision.globalOutage()).isTrue();
        assertThat(mesh.unapplied.get("us").annotations()).as("the directive that re-exports us is published")
                .containsEntry("service.cilium.io/shared", "true");
        assertThat(mesh.unapplied.get("us").reason()).isEqualTo("last-resort-export");
        mesh.silence("us", false);
        mesh.settle(random);
        assertThat(mesh.blackholed()).isEmpty();
    }

    @Test
    void aSilentTargetDoesNotBringTheSickRegionHome() {
        LoopMesh mesh = new LoopMesh(twoReady(), List.of("eu", "us"), 3);
        Random random = new Random(3);
        mesh.health("us", counts(1, 3));
        mesh.settle(random);
        mesh.silence("eu", true);
        mesh.pass(Duration.ofSeconds(60));
        mesh.settle(random);
        mesh.silence("eu", false);
        mesh.pass(Duration.ofSeconds(10));
        mesh.settle(random);

        assertThat(mesh.churn().get("us")).as("failovers and failbacks of us").containsExactly(1, 0);
    }

    @Test
    void aNewTargetExportsBeforeTheOldOneWithdraws() {
        Policy policy = new Policy("*", Mode.AUTO, 1, 0, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of("eu", "ap"), 1, Set.of());
        LoopMesh mesh = new LoopMesh(policy, List.of("ap", "eu", "us"), 3);
        Random random = new Random(4);
        mesh.health("us", counts(0, 3));
        mesh.settle(random);
        mesh.health("eu", counts(0, 3));
        mesh.afterEachApplication = region -> {
            if (!LoopMesh.exports(mesh.applied.get("eu"))) {
                assertThat(LoopMesh.exports(mesh.applied.get("ap"))).as("ap exports once eu withdrew").isTrue();
            }
        };
        mesh.apply("eu");
        mesh.settle(random);
        assertThat(mesh.blackholed()).isEmpty();

        assertThat(mesh.applied.get("ap")).containsEntry("service.cilium.io/shared", "true");
        assertThat(mesh.applied.get("eu")).containsEntry("service.cilium.io/shared", "false");
    }

    @Test
    void drainingTheOnlyTargetOverridesTheDrainInsteadOfSendingTheSickRegionHome() {
        LoopMesh mesh = new LoopMesh(twoReady(), List.of("eu", "us"), 3);
        Random random = new Random(5);
        mesh.health("us", counts(1, 3));
        mesh.settle(random);
        mesh.policy(new Policy("*", Mode.AUTO, 2, 0, Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(15),
                List.of(), 0, Set.of("eu")));
        mesh.settle(random);

        assertThat(mesh.outcome("eu").orElseThrow().reason().wireName()).isEqualTo("drain-overridden");
        assertThat(mesh.applied.get("us")).containsEntry("service.cilium.io/affinity", "remote");
        assertThat(mesh.applied.get("eu")).containsEntry("service.cilium.io/affinity", "local")
                .containsEntry("service.cilium.io/shared", "true");
    }

    @Test
    void aRegionScaledDownFromTenToOneIsDegradedUnderItsRatio() {
        Policy policy = new Policy("*", Mode.AUTO, 1, 0.5, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of());
        LoopMesh mesh = new LoopMesh(policy, List.of("eu", "us"), 10);
        mesh.health("us", counts(1, 1));
        mesh.settle(new Random(6));

        assertThat(mesh.outcome("us").orElseThrow().state().wireName()).isEqualTo("degraded");
    }

    @Test
    void aDegradedRegionStaysHomeWhenTheTargetsCannotCarryItsLoad() {
        Policy policy = new Policy("*", Mode.AUTO, 1, 0.5, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of());
        LoopMesh mesh = new LoopMesh(policy, List.of("eu", "us"), 2);
        mesh.health("us", counts(100, 100));
        mesh.settle(new Random(7));
        mesh.health("us", counts(40, 100));
        mesh.settle(new Random(7));

        assertThat(mesh.outcome("us").orElseThrow().reason().wireName()).isEqualTo("insufficient-capacity");
        assertThat(mesh.applied.get("us")).containsEntry("service.cilium.io/affinity", "local");
    }

    /**
     * One region flipping between healthy and degraded every 1 to 5 s for 60 s, as a source (its own traffic) and as
     * the target of another region's: at most one failover and one failback per region. Prints the figures of
     * docs/decisions.md (directive changes and failovers+failbacks per incident) for ten seeds.
     */
    @Test
    void flappingStaysWithinOneFailoverAndOneFailback() {
        for (String flapping : List.of("us", "eu")) {
            List<Integer> changes = new ArrayList<>();
            List<Integer> moves = new ArrayList<>();
            for (long seed = 1; seed <= 10; seed++) {
                LoopMesh mesh = new LoopMesh(twoReady(), List.of("eu", "us"), 3);
                Random random = new Random(seed);
                if (flapping.equals("eu")) {
                    mesh.health("us", counts(1, 3));
                    mesh.settle(random);
                }
                int before = mesh.published.size();
                flap(mesh, flapping, random);
                mesh.churn().forEach((region, counts) -> assertThat(counts)
                        .as("failovers, failbacks of %s with %s flapping", region, flapping)
                        .satisfies(c -> assertThat(c[0]).isLessThanOrEqualTo(1))
                        .satisfies(c -> assertThat(c[1]).isLessThanOrEqualTo(1)));
                changes.add(mesh.published.size() - before);
                moves.add(mesh.churn().values().stream().mapToInt(c -> c[0] + c[1]).sum());
            }
            System.out.printf("flapping %s: directive changes %s, failovers+failbacks %s%n", flapping,
                    spread(changes), spread(moves));
        }
    }

    private static String spread(List<Integer> values) {
        List<Integer> sorted = values.stream().sorted().toList();
        return "min " + sorted.get(0) + " median " + sorted.get(sorted.size() / 2) + " max "
                + sorted.get(sorted.size() - 1);
    }

    /** The region flips between healthy and degraded every 1 to 5 s for 60 s, then stays healthy. */
    static void flap(LoopMesh mesh, String region, Random random) {
        boolean healthy = true;
        for (int elapsed = 0; elapsed < 60; ) {
            int wait = 1 + random.nextInt(5);
            healthy = !healthy;
            mesh.health(region, counts(healthy ? 3 : 1, 3));
            mesh.settle(random);
            mesh.pass(Duration.ofSeconds(wait));
            elapsed += wait;
        }
        mesh.health(region, counts(3, 3));
        mesh.settle(random);
        mesh.pass(Duration.ofSeconds(40));
        mesh.settle(random);
    }

    static String describe(LoopMesh mesh) {
        StringBuilder text = new StringBuilder();
        mesh.churn().forEach((region, counts) -> text.append(region).append(' ').append(counts[0]).append('/')
                .append(counts[1]).append(' '));
        return text.toString().trim();
    }

    private static Policy twoReady() {
        return new Policy("*", Mode.AUTO, 2, 0, Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(15),
                List.of(), 0, Set.of());
    }

    private static Policy policy(Random random) {
        List<String> priority = new ArrayList<>(REGIONS);
        java.util.Collections.shuffle(priority, random);
        priority = priority.subList(0, random.nextInt(REGIONS.size() + 1));
        Set<String> drain = random.nextInt(4) == 0 ? Set.of(REGIONS.get(random.nextInt(REGIONS.size()))) : Set.of();
        return new Policy("*", Mode.AUTO, 1 + random.nextInt(3), random.nextBoolean() ? 0.0 : 0.5,
                Duration.ofSeconds(random.nextInt(3) * 5), Duration.ofSeconds(random.nextInt(3) * 15),
                Duration.ofSeconds(15), priority, random.nextInt(3), drain);
    }

    private static EndpointCounts endpoints(Random random) {
        List<Endpoint> endpoints = new ArrayList<>();
        int ready = random.nextInt(5);
        for (int i = 0; i < ready; i++) {
            endpoints.add(new Endpoint("r" + i, true, true, random.nextInt(6) == 0));
        }
        if (random.nextInt(4) == 0) {
            endpoints.add(new Endpoint("s", false, true, false));
        }
        if (random.nextInt(4) == 0) {
            endpoints.add(new Endpoint("t", false, true, true));
        }
        return counts(EndpointTally.count(endpoints));
    }

    private static EndpointTally tally(EndpointCounts counts) {
        return new EndpointTally(counts.ready(), counts.serving(), counts.terminating(), counts.active(),
                counts.fallback(), counts.exported(), counts.total());
    }
}
