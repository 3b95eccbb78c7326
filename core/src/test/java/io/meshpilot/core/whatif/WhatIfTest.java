package io.meshpilot.core.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.decision.Mode;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.Reason;
import io.meshpilot.core.decision.RegionInput;
import io.meshpilot.core.decision.RegionState;
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

class WhatIfTest {

    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final Map<String, String> LOCAL = CiliumServiceConfig.global(true, Affinity.LOCAL).annotations();

    final WhatIf whatIf = new WhatIf();

    static RegionInput region(String name, int ready) {
        EndpointTally tally = new EndpointTally(ready, ready, 0, ready, 0, ready, ready);
        return new RegionInput(name, tally, NOW, Optional.of(NOW), Optional.of(LOCAL), false, true,
                Optional.empty());
    }

    static ServiceSnapshot service(String name, Policy policy, RegionInput... regions) {
        return new ServiceSnapshot(name, policy, List.of(regions), Optional.empty());
    }

    static ServiceSnapshot helloWorld() {
        return service("default/hello-world", Policy.DEFAULT, region("eu", 3), region("us", 3));
    }

    @Test
    void aRegionDownSendsItsClientsToTheOthersAndWithdrawsItsBackends() {
        ServiceEffect effect = whatIf.effect(helloWorld(), Hypothesis.of(RegionChange.down("us")), NOW);

        RegionEffect us = effect.regions().get(1);
        assertThat(us.region()).isEqualTo("us");
        assertThat(us.before().reason()).isEqualTo(Reason.LOCAL_HEALTHY);
        assertThat(us.before().routes()).containsExactly(Map.entry("us", 3));
        assertThat(us.after().reason()).isEqualTo(Reason.LOCAL_DEGRADED);
        assertThat(us.after().annotations()).isEqualTo(CiliumServiceConfig.global(false, Affinity.REMOTE)
                .annotations());
        assertThat(us.after().routes()).containsExactly(Map.entry("eu", 3));
        assertThat(us.directiveChanges()).isTrue();
        RegionEffect eu = effect.regions().get(0);
        assertThat(eu.directiveChanges()).isFalse();
        assertThat(eu.after().routes()).containsExactly(Map.entry("eu", 3));
        assertThat(effect.globalOutageAfter()).isFalse();
        assertThat(effect.settled()).isTrue();
    }

    @Test
    void everyRegionDownIsAGlobalOutageListedInTheReport() {
        WhatIfReport report = whatIf.simulate(List.of(helloWorld(), service("shop/cart", Policy.DEFAULT,
                region("eu", 2))), Hypothesis.of(RegionChange.down("us"), RegionChange.down("eu")), NOW);

        assertThat(report.globalOutages()).containsExactly("default/hello-world", "shop/cart");
        assertThat(report.changed()).extracting(ServiceEffect::service)
                .containsExactly("default/hello-world", "shop/cart");
        ServiceEffect hello = report.changed().get(0);
        assertThat(hello.globalOutageBefore()).isFalse();
        assertThat(hello.regions()).allSatisfy(region -> assertThat(region.after().reason())
                .isEqualTo(Reason.NO_HEALTHY_TARGET));
    }

    @Test
    void theMeshWideRuleCountsWhatTheOtherServicesWouldWithdrawFirst() {
        Policy oneAtATime = new Policy("*", Mode.AUTO, 1, 0.0, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of()).withMaxWithdrawnRegions(1);
        ServiceSnapshot cart = service("shop/cart", oneAtATime, region("ap", 3), region("us", 3));
        ServiceSnapshot hello = service("default/hello-world", oneAtATime, region("ap", 3), region("eu", 3));
        Hypothesis usAndEuDown = Hypothesis.of(RegionChange.down("us"), RegionChange.down("eu"));

        WhatIfReport report = whatIf.simulate(List.of(cart, hello), usAndEuDown, NOW);
        ServiceEffect alone = whatIf.effect(hello, usAndEuDown, NOW);

        assertThat(report.changed().get(0).regions().get(1).after().reason()).as("cart withdraws us")
                .isEqualTo(Reason.LOCAL_DEGRADED);
        RegionSide eu = report.changed().get(1).regions().get(1).after();
        assertThat(eu.reason()).as("hello-world may not withdraw eu too").isEqualTo(Reason.BLOCKED_BY_SAFETY_RULE);
        assertThat(CiliumServiceConfig.fromAnnotations(eu.annotations()).orElseThrow().shared()).isTrue();
        assertThat(alone.regions().get(1).after().reason()).as("alone in the mesh, it would")
                .isEqualTo(Reason.LOCAL_DEGRADED);
    }

    @Test
    void noChangeChangesNothing() {
        WhatIfReport report = whatIf.simulate(List.of(helloWorld()), Hypothesis.of(), NOW);

        assertThat(report.changed()).isEmpty();
        assertThat(report.unchanged()).isEqualTo(1);
        assertThat(report.globalOutages()).isEmpty();
    }

    @Test
    void aChangeToARegionWhereTheServiceIsNotLeavesItAlone() {
        WhatIfReport report = whatIf.simulate(List.of(helloWorld()), Hypothesis.of(RegionChange.down("ap"),
                RegionChange.drained("ap")), NOW);

        assertThat(report.changed()).isEmpty();
    }

    @Test
    void aDrainedRegionSendsItsClientsAway() {
        ServiceEffect effect = whatIf.effect(helloWorld(), Hypothesis.of(RegionChange.drained("eu")), NOW);

        RegionSide eu = effect.regions().get(0).after();
        assertThat(eu.reason()).isEqualTo(Reason.DRAINED);
        assertThat(eu.state()).isEqualTo(RegionState.DRAINED);
        assertThat(eu.routes()).containsExactly(Map.entry("us", 3));
    }

    @Test
    void degradedBelowThePolicysMinimumFailsOverAfterTheFailoverDelay() {
        Policy policy = new Policy("default/*", Mode.AUTO, 2, 0.0, Duration.ofSeconds(20), Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of());
        ServiceSnapshot service = service("default/hello-world", policy, region("eu", 3), region("us", 3));

        ServiceEffect toOne = whatIf.effect(service, Hypothesis.of(RegionChange.degraded("us", 1)), NOW);
        ServiceEffect toTwo = whatIf.effect(service, Hypothesis.of(RegionChange.degraded("us", 2)), NOW);

        assertThat(toOne.regions().get(1).after().reason()).isEqualTo(Reason.LOCAL_DEGRADED);
        assertThat(toOne.settledAt()).isEqualTo(NOW.plusSeconds(20));
        assertThat(toTwo.changes()).isTrue();
        assertThat(toTwo.regions().get(1).after().reason()).isEqualTo(Reason.LOCAL_HEALTHY);
        assertThat(toTwo.regions().get(1).after().routes()).containsExactly(Map.entry("us", 2));
    }

    @Test
    void aStaleRegionKeepsItsLastDirectiveAndStillExportsAsCiliumRemembersIt() {
        ServiceEffect effect = whatIf.effect(helloWorld(), Hypothesis.of(RegionChange.stale("us")), NOW);

        RegionSide us = effect.regions().get(1).after();
        assertThat(us.state()).isEqualTo(RegionState.STALE);
        assertThat(us.reason()).isEqualTo(Reason.REGION_STALE);
        assertThat(us.annotations()).isEqualTo(LOCAL);
        assertThat(effect.regions().get(0).after().routes()).containsExactly(Map.entry("eu", 3));
        assertThat(effect.globalOutageAfter()).isFalse();
    }

    @Test
    void aPolicyNotYetAppliedShowsWhatItWouldPin() {
        Policy remote = new Policy("default/hello-world", Mode.REMOTE, 1, 0.0, Duration.ZERO,
                Duration.ofSeconds(30), Duration.ofSeconds(15), List.of(), 0, Set.of());

        ServiceEffect effect = whatIf.effect(helloWorld(),
                new Hypothesis(List.of(), Map.of("default/hello-world", remote)), NOW);

        assertThat(effect.policyBefore()).isEqualTo(Policy.DEFAULT_SCOPE);
        assertThat(effect.policyAfter()).isEqualTo("default/hello-world");
        assertThat(effect.regions()).allSatisfy(region -> {
            assertThat(region.after().reason()).isEqualTo(Reason.PINNED_BY_POLICY);
            assertThat(region.after().annotations()).isEqualTo(CiliumServiceConfig.global(true, Affinity.REMOTE)
                    .annotations());
        });
        assertThat(effect.regions().get(0).after().routes()).containsExactly(Map.entry("us", 3));
    }

    @Test
    void theRegionsAfterADownRegionThatIsTheOnlyOneWithBackendsAreAnOutage() {
        ServiceSnapshot service = service("default/hello-world", Policy.DEFAULT, region("eu", 0), region("us", 3));

        ServiceEffect effect = whatIf.effect(service, Hypothesis.of(RegionChange.down("us")), NOW);

        assertThat(effect.globalOutageBefore()).isFalse();
        assertThat(effect.globalOutageAfter()).isTrue();
        assertThat(effect.blackholedAfter()).containsExactly("eu", "us");
    }

    @Test
    void namesEachKindOfChangeAsTheApiTakesIt() {
        assertThat(java.util.Arrays.stream(RegionChange.Kind.values()).map(RegionChange.Kind::wireName))
                .containsExactly("down", "degraded", "drained", "stale");
    }
}
