package io.meshpilot.controlplane.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the {@code maxWithdrawnRegions} rule counts for a Service, per scope, as directives withdraw regions. */
class WithdrawnRegionsTest {

    private static final ServiceKey CART = new ServiceKey("default", "cart");
    private static final ServiceKey CHECKOUT = new ServiceKey("default", "checkout");
    private static final ServiceKey SEARCH = new ServiceKey("shop", "search");

    private final WithdrawnRegions withdrawn = new WithdrawnRegions();

    @Test
    void aRegionWithdrawnOnlyForTheServiceItselfIsNotAnotherServicesInAnyScope() {
        withdrawn.update(CART, List.of(withdrawing(CART, "us"), exporting(CART, "eu")));

        for (String scope : List.of("*", "default/*", "default/cart")) {
            assertThat(withdrawn.seenBy(CART, scope).byOtherServices()).as(scope).isEmpty();
            assertThat(withdrawn.seenBy(CART, scope).byThisService()).as(scope).containsExactly("us");
        }
        assertThat(withdrawn.regions()).containsExactly("us");
    }

    @Test
    void theWholeMeshCountsEveryOtherServicesRegions() {
        withdrawn.update(CHECKOUT, List.of(withdrawing(CHECKOUT, "eu")));
        withdrawn.update(SEARCH, List.of(withdrawing(SEARCH, "ap")));
        withdrawn.update(CART, List.of(withdrawing(CART, "us")));

        assertThat(withdrawn.seenBy(CART, "*").byOtherServices()).containsExactlyInAnyOrder("eu", "ap");
        assertThat(withdrawn.regions()).containsExactlyInAnyOrder("ap", "eu", "us");
    }

    @Test
    void theWholeMeshCountsARegionTheServiceSharesWithAnother() {
        withdrawn.update(CART, List.of(withdrawing(CART, "us"), withdrawing(CART, "eu")));
        withdrawn.update(CHECKOUT, List.of(withdrawing(CHECKOUT, "us")));
        withdrawn.update(SEARCH, List.of(withdrawing(SEARCH, "eu")));

        assertThat(withdrawn.seenBy(CART, "*").byOtherServices()).containsExactlyInAnyOrder("us", "eu");
    }

    @Test
    void aNamespaceScopeCountsOnlyItsNamespacesOtherServices() {
        withdrawn.update(CART, List.of(withdrawing(CART, "us")));
        withdrawn.update(CHECKOUT, List.of(withdrawing(CHECKOUT, "us"), withdrawing(CHECKOUT, "eu")));
        withdrawn.update(SEARCH, List.of(withdrawing(SEARCH, "ap")));

        assertThat(withdrawn.seenBy(CART, "default/*").byOtherServices()).containsExactlyInAnyOrder("us", "eu");
        assertThat(withdrawn.seenBy(SEARCH, "shop/*").byOtherServices()).isEmpty();
        assertThat(withdrawn.seenBy(CART, "shop/*").byOtherServices()).isEmpty();
        assertThat(withdrawn.seenBy(CART, "default/cart").byOtherServices()).isEmpty();
    }

    @Test
    void updateSaysWhetherARegionCameBack() {
        assertThat(withdrawn.update(CART, List.of(withdrawing(CART, "us")))).isFalse();
        assertThat(withdrawn.update(CART, List.of(withdrawing(CART, "us"), withdrawing(CART, "eu")))).isFalse();
        assertThat(withdrawn.update(CART, List.of(withdrawing(CART, "us"), withdrawing(CART, "eu")))).isFalse();
        assertThat(withdrawn.update(CART, List.of(withdrawing(CART, "eu"), exporting(CART, "us")))).isTrue();
        assertThat(withdrawn.regions()).containsExactly("eu");
        assertThat(withdrawn.update(CART, List.of(exporting(CART, "eu")))).isTrue();
        assertThat(withdrawn.regions()).isEmpty();
        assertThat(withdrawn.seenBy(CART, "*")).isEqualTo(new io.meshpilot.core.decision.MeshWithdrawals(
                java.util.Set.of(), java.util.Set.of()));
    }

    @Test
    void aHealthyRegionLeftOutOfTheTargetsIsNotWithdrawn() {
        ServiceDirective leftOut = directive(CART, "us", "false", "local-healthy");

        assertThat(WithdrawnRegions.withdrawn(leftOut)).isFalse();
        assertThat(WithdrawnRegions.withdrawn(withdrawing(CART, "us"))).isTrue();
        assertThat(WithdrawnRegions.withdrawn(exporting(CART, "us"))).isFalse();
        withdrawn.update(CART, List.of(leftOut));
        assertThat(withdrawn.regions()).isEmpty();
    }

    private static ServiceDirective withdrawing(ServiceKey service, String region) {
        return directive(service, region, "false", "local-degraded");
    }

    private static ServiceDirective exporting(ServiceKey service, String region) {
        return directive(service, region, "true", "local-healthy");
    }

    private static ServiceDirective directive(ServiceKey service, String region, String shared, String reason) {
        return new ServiceDirective(region, service.namespace(), service.name(), 1, Map.of(
                "service.cilium.io/global", "true", "service.cilium.io/shared", shared), reason,
                Instant.parse("2026-11-25T12:00:00Z"));
    }
}
