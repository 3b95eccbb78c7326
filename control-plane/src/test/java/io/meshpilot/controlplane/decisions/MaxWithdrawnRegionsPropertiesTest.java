package io.meshpilot.controlplane.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.decision.Mode;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.SafetyRule;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The {@code maxWithdrawnRegions} safety rule through the real {@link DecisionLoop} with the manual clock, over
 * several Services: random health per Service and region, drains and K changed mid-history, time passing, agents
 * applying in between. No directive ever withdraws a region beyond K across the mesh, nor (already over K after K
 * was lowered) adds a region; and what the rule held back goes through once regions come back.
 */
class MaxWithdrawnRegionsPropertiesTest {

    private static final List<String> REGIONS = List.of("ap", "eu", "sa", "us");
    private static final List<ServiceKey> SERVICES = List.of(new ServiceKey("default", "cart"),
            new ServiceKey("default", "checkout"), new ServiceKey("shop", "search"));

    @Property(tries = 120)
    void noDecisionWithdrawsMoreRegionsThanTheRuleAllows(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int k) {
        Random random = new Random(seed);
        int[] limit = {k};
        ManyServices mesh = new ManyServices(policy(k, Set.of()), SERVICES, REGIONS);
        mesh.onPublished = directive -> {
            Set<String> before = mesh.withdrawn();
            Set<String> after = new TreeSet<>(before);
            if (ManyServices.withdraws(directive)) {
                after.add(directive.region());
            }
            if (!before.containsAll(after)) {
                assertThat(after).as("seed %d: %s withdraws %s; withdrawn before %s, K %d", seed, directive.key(),
                        directive.region(), before, limit[0]).hasSizeLessThanOrEqualTo(limit[0]);
            }
        };
        for (int step = 0; step < 40; step++) {
            int action = random.nextInt(100);
            if (action < 55) {
                mesh.health(SERVICES.get(random.nextInt(SERVICES.size())), REGIONS.get(random.nextInt(
                        REGIONS.size())), random.nextInt(4));
            } else if (action < 62) {
                limit[0] = 1 + random.nextInt(3);
                Set<String> drain = random.nextInt(3) == 0 ? Set.of(REGIONS.get(random.nextInt(REGIONS.size())))
                        : Set.of();
                mesh.policy(policy(limit[0], drain));
            } else if (action < 80) {
                mesh.pass(Duration.ofSeconds(1 + random.nextInt(10)));
            } else {
                mesh.settle();
            }
        }
        recover(mesh);
        for (ServiceKey service : SERVICES) {
            assertThat(mesh.reasons(service)).as("seed %d: everything healthy again", seed)
                    .doesNotContainValue("blocked-by-safety-rule");
        }
        assertThat(mesh.withdrawn()).isEmpty();
    }

    /** A history that once broke the rule: one decision brought sa back and withdrew ap at once. */
    @Test
    void historiesThatOnceBrokeTheRule() {
        noDecisionWithdrawsMoreRegionsThanTheRuleAllows(-3, 2);
        noDecisionWithdrawsMoreRegionsThanTheRuleAllows(-1030162712, 2);
    }

    @Test
    void aWithdrawalHeldBackGoesThroughWhenAnotherRegionComesBack() {
        ServiceKey cart = SERVICES.get(0);
        ServiceKey search = SERVICES.get(2);
        ManyServices mesh = searchHeldBackInEu();

        assertThat(mesh.withdrawn()).containsExactly("us");
        assertThat(mesh.reasons(search)).containsEntry("eu", "blocked-by-safety-rule");
        assertThat(mesh.loop.decision(search).orElseThrow().region("eu").orElseThrow().safetyRule())
                .contains(SafetyRule.MAX_WITHDRAWN_REGIONS);
        assertThat(mesh.inForce.get(search).get("eu").annotations())
                .containsEntry("service.cilium.io/shared", "true")
                .containsEntry("service.cilium.io/affinity", "remote");

        mesh.health(cart, "eu", 0);
        mesh.settle();
        assertThat(mesh.reasons(cart)).as("us already withdrawn: one more Service may withdraw it; eu may not")
                .containsEntry("us", "local-degraded").containsEntry("eu", "blocked-by-safety-rule");

        mesh.health(cart, "us", 3);
        mesh.settle();
        mesh.pass(Duration.ofSeconds(10));
        mesh.settle();

        assertThat(mesh.withdrawn()).containsExactly("eu");
        assertThat(mesh.reasons(search)).containsEntry("eu", "local-degraded");
        assertThat(mesh.reasons(cart)).containsEntry("eu", "local-degraded").containsEntry("us", "local-healthy");
    }

    @Test
    void theDecisionLogSaysSoWhenAnotherRuleHoldsTheSameDirective() {
        ServiceKey search = SERVICES.get(2);
        ManyServices mesh = searchHeldBackInEu();
        assertThat(lastRule(mesh, search, "eu")).isEqualTo("maxWithdrawnRegions");
        long version = mesh.inForce.get(search).get("eu").version();

        mesh.policy(policy(1, Set.of(), REGIONS.size()));

        assertThat(mesh.inForce.get(search).get("eu").version()).as("the agents have nothing new to apply")
                .isEqualTo(version);
        assertThat(lastRule(mesh, search, "eu")).as("every region must export now: the other rule holds eu")
                .isEqualTo("minExportingRegions");
    }

    /** K = 1: cart withdraws us first, so search's eu, degraded after it, is held back. */
    private static ManyServices searchHeldBackInEu() {
        ManyServices mesh = new ManyServices(policy(1, Set.of()), SERVICES, REGIONS);
        mesh.health(SERVICES.get(0), "us", 0);
        mesh.settle();
        mesh.health(SERVICES.get(2), "eu", 0);
        mesh.settle();
        return mesh;
    }

    private static String lastRule(ManyServices mesh, ServiceKey service, String region) {
        io.meshpilot.schemas.Decision last = mesh.decisionLog.stream()
                .filter(decision -> decision.service().equals(service.name())).reduce((first, second) -> second)
                .orElseThrow();
        return last.regions().stream().filter(decision -> decision.region().equals(region)).findFirst()
                .orElseThrow().safetyRule();
    }

    @Test
    void overTheLimitAfterItIsLoweredNoRegionIsAddedAndNoneIsForcedBack() {
        ManyServices mesh = new ManyServices(policy(2, Set.of()), SERVICES, REGIONS);
        mesh.health(SERVICES.get(0), "us", 0);
        mesh.health(SERVICES.get(1), "eu", 0);
        mesh.settle();
        assertThat(mesh.withdrawn()).containsExactly("eu", "us");

        mesh.policy(policy(1, Set.of()));
        mesh.health(SERVICES.get(2), "ap", 0);
        mesh.settle();

        assertThat(mesh.withdrawn()).as("over K: stays, never grows").containsExactly("eu", "us");
        assertThat(mesh.reasons(SERVICES.get(2))).containsEntry("ap", "blocked-by-safety-rule");

        mesh.health(SERVICES.get(1), "eu", 3);
        mesh.pass(Duration.ofSeconds(10));
        mesh.settle();
        assertThat(mesh.withdrawn()).as("one came back: at K, still no room for ap").containsExactly("us");
        assertThat(mesh.reasons(SERVICES.get(2))).containsEntry("ap", "blocked-by-safety-rule");

        mesh.health(SERVICES.get(0), "us", 3);
        mesh.pass(Duration.ofSeconds(10));
        mesh.settle();
        assertThat(mesh.withdrawn()).containsExactly("ap");
    }

    private static void recover(ManyServices mesh) {
        mesh.policy(policy(1, Set.of()));
        for (ServiceKey service : SERVICES) {
            for (String region : REGIONS) {
                mesh.health(service, region, 3);
            }
        }
        for (int round = 0; round < 4; round++) {
            mesh.settle();
            mesh.pass(Duration.ofSeconds(10));
        }
        mesh.settle();
    }

    private static Policy policy(int k, Set<String> drain) {
        return policy(k, drain, 0);
    }

    private static Policy policy(int k, Set<String> drain, int minExporting) {
        return new Policy("*", Mode.AUTO, 2, 0.0, Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(15),
                List.of(), 0, drain, Duration.ZERO, 1.0, minExporting, k);
    }
}
