package io.meshpilot.controlplane.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
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

    /**
     * Counting one region as its directive is read back agrees with counting every region of the Service again: the
     * same regions for every scope, and the same answer to whether a region came back.
     */
    @Property(tries = 300)
    void countingOneRegionAgreesWithCountingThemAll(
            @ForAll @Size(max = 40) List<@IntRange(max = 2) Integer> services,
            @ForAll @Size(max = 40) List<@IntRange(max = 3) Integer> regions,
            @ForAll @Size(max = 40) List<Boolean> withdraws) {
        List<ServiceKey> keys = List.of(CART, CHECKOUT, SEARCH);
        List<String> names = List.of("us", "eu", "ap", "sa");
        WithdrawnRegions byRegion = new WithdrawnRegions();
        WithdrawnRegions recounted = new WithdrawnRegions();
        Map<ServiceKey, Map<String, ServiceDirective>> current = new java.util.HashMap<>();
        int steps = Math.min(services.size(), Math.min(regions.size(), withdraws.size()));
        for (int i = 0; i < steps; i++) {
            ServiceKey service = keys.get(services.get(i));
            String region = names.get(regions.get(i));
            ServiceDirective directive = withdraws.get(i) ? withdrawing(service, region) : exporting(service, region);
            current.computeIfAbsent(service, key -> new java.util.HashMap<>()).put(region, directive);

            boolean cameBackCountingOne = byRegion.update(service, region, WithdrawnRegions.withdrawn(directive));
            boolean cameBackCountingAll = recounted.update(service, current.get(service).values());

            assertThat(cameBackCountingOne).as("step %d: a region came back", i).isEqualTo(cameBackCountingAll);
            assertThat(byRegion.regions()).as("step %d", i).isEqualTo(recounted.regions());
            for (ServiceKey key : keys) {
                for (String scope : List.of("*", "default/*", key.namespace() + "/" + key.name())) {
                    assertThat(byRegion.seenBy(key, scope)).as("step %d, %s in %s", i, key, scope)
                            .isEqualTo(recounted.seenBy(key, scope));
                }
            }
        }
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
