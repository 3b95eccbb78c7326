package io.meshpilot.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.health.EndpointTally;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Cilium Cluster Mesh walkthrough's steps, as the routing model answers them. */
class RoutingModelTest {

    @Test
    void step1_aServiceThatIsNotGlobalReachesOnlyItsOwnCluster() {
        List<ClusterService> clusters = List.of(
                new ClusterService("us", CiliumServiceConfig.LOCAL_ONLY, 2),
                new ClusterService("eu", CiliumServiceConfig.LOCAL_ONLY, 2));

        assertThat(RoutingModel.reachableFrom("us", clusters)).containsExactly(Map.entry("us", 2));
        assertThat(RoutingModel.reachableFrom("eu", clusters)).containsExactly(Map.entry("eu", 2));
    }

    @Test
    void step2_aGlobalServiceIsBalancedAcrossBothClusters() {
        List<ClusterService> clusters = List.of(
                new ClusterService("us", CiliumServiceConfig.global(true, Affinity.BALANCED), 2),
                new ClusterService("eu", CiliumServiceConfig.global(true, Affinity.BALANCED), 2));

        assertThat(RoutingModel.reachableFrom("us", clusters)).containsOnly(Map.entry("us", 2), Map.entry("eu", 2));
    }

    @Test
    void step3_localAffinityKeepsUsClientsInUs() {
        List<ClusterService> clusters = List.of(
                new ClusterService("us", CiliumServiceConfig.global(true, Affinity.LOCAL), 2),
                new ClusterService("eu", CiliumServiceConfig.global(true, Affinity.LOCAL), 2));

        assertThat(RoutingModel.reachableFrom("us", clusters)).containsExactly(Map.entry("us", 2));
    }

    @Test
    void step4_usScaledToZeroSendsItsClientsToEurope() {
        List<ClusterService> clusters = List.of(
                new ClusterService("us", CiliumServiceConfig.global(true, Affinity.LOCAL), 0),
                new ClusterService("eu", CiliumServiceConfig.global(true, Affinity.LOCAL), 2));

        assertThat(RoutingModel.reachableFrom("us", clusters)).containsExactly(Map.entry("eu", 2));
    }

    @Test
    void anUnsharedClusterStillReachesOthersButOthersDoNotReachIt() {
        List<ClusterService> clusters = List.of(
                new ClusterService("us", CiliumServiceConfig.global(false, Affinity.REMOTE), 1),
                new ClusterService("eu", CiliumServiceConfig.global(true, Affinity.BALANCED), 2));

        assertThat(RoutingModel.reachableFrom("us", clusters)).containsExactly(Map.entry("eu", 2));
        assertThat(RoutingModel.reachableFrom("eu", clusters)).containsExactly(Map.entry("eu", 2));
    }

    @Test
    void remoteAffinityFallsBackToLocalBackendsWhenNoRemoteOneIsActive() {
        List<ClusterService> clusters = List.of(
                new ClusterService("us", CiliumServiceConfig.global(true, Affinity.REMOTE), 2),
                new ClusterService("eu", CiliumServiceConfig.global(true, Affinity.LOCAL), 0));

        assertThat(RoutingModel.reachableFrom("us", clusters)).containsExactly(Map.entry("us", 2));
    }

    @Test
    void aClusterWithoutTheServiceReachesNothing() {
        assertThat(RoutingModel.reachableFrom("ap", List.of(
                new ClusterService("us", CiliumServiceConfig.global(true, Affinity.LOCAL), 2)))).isEmpty();
    }

    private static final Instant LOST = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(5);

    @Test
    void keepsAnUnreachableClustersBackendsForEverWithoutACacheTtl() {
        List<ClusterService> clusters = List.of(
                new ClusterService("us", CiliumServiceConfig.global(true, Affinity.LOCAL), 0),
                new ClusterService("eu", CiliumServiceConfig.global(true, Affinity.LOCAL), 2).unreachableSince(LOST));

        assertThat(RoutingModel.reachableFrom("us", clusters, LOST.plus(Duration.ofDays(30)), Duration.ZERO))
                .containsExactly(Map.entry("eu", 2));
    }

    @Test
    void revokesAnUnreachableClustersBackendsOnceTheCacheTtlRunsOut() {
        List<ClusterService> clusters = List.of(
                new ClusterService("us", CiliumServiceConfig.global(true, Affinity.LOCAL), 0),
                new ClusterService("eu", CiliumServiceConfig.global(true, Affinity.LOCAL), 2).unreachableSince(LOST));

        assertThat(RoutingModel.reachableFrom("us", clusters, LOST.plus(TTL).minusMillis(1), TTL))
                .containsExactly(Map.entry("eu", 2));
        assertThat(RoutingModel.reachableFrom("us", clusters, LOST.plus(TTL), TTL)).isEmpty();
    }

    @Test
    void neverReachesAClusterWhoseNamespaceIsNotGlobal() {
        List<ClusterService> clusters = List.of(
                new ClusterService("us", CiliumServiceConfig.global(true, Affinity.LOCAL), 0),
                new ClusterService("eu", CiliumServiceConfig.global(true, Affinity.LOCAL), 2)
                        .withNamespaceExports(false));

        assertThat(RoutingModel.reachableFrom("us", clusters)).isEmpty();
        assertThat(RoutingModel.reachableFrom("eu", clusters)).containsExactly(Map.entry("eu", 2));
    }

    @Test
    void usesDrainingLocalBackendsOnlyWhenNothingActiveIsSelected() {
        EndpointTally draining = new EndpointTally(0, 2, 2, 0, 2, 2, 2);
        List<ClusterService> withRemote = List.of(
                ClusterService.of("us", CiliumServiceConfig.global(true, Affinity.LOCAL), draining),
                new ClusterService("eu", CiliumServiceConfig.global(true, Affinity.LOCAL), 1));
        List<ClusterService> alone = List.of(
                ClusterService.of("us", CiliumServiceConfig.global(true, Affinity.LOCAL), draining),
                new ClusterService("eu", CiliumServiceConfig.global(false, Affinity.LOCAL), 1));

        assertThat(RoutingModel.reachableFrom("us", withRemote)).containsExactly(Map.entry("eu", 1));
        assertThat(RoutingModel.reachableFrom("us", alone)).containsExactly(Map.entry("us", 2));
    }

    @Test
    void readsAffinityNoneOnAffectedReleasesAsLocalOnlyAndBlackholesAnEmptyCluster() {
        List<ClusterService> clusters = List.of(
                new ClusterService("us", CiliumServiceConfig.global(true, Affinity.LOCAL_ONLY), 0),
                new ClusterService("eu", CiliumServiceConfig.global(true, Affinity.BALANCED), 2));

        assertThat(RoutingModel.reachableFrom("us", clusters)).isEmpty();
    }
}
