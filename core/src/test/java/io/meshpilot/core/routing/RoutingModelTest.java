package io.meshpilot.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

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
}
