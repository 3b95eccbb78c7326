package io.meshpilot.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CiliumServiceConfigTest {

    @Test
    void writesGlobalSharedAndAffinity() {
        assertThat(CiliumServiceConfig.global(true, Affinity.LOCAL).annotations()).containsOnly(
                Map.entry("service.cilium.io/global", "true"),
                Map.entry("service.cilium.io/shared", "true"),
                Map.entry("service.cilium.io/affinity", "local"));
    }

    @Test
    void writesBalancedByLeavingAffinityOutNeverAsNone() {
        assertThat(CiliumServiceConfig.global(false, Affinity.BALANCED).annotations())
                .containsOnlyKeys("service.cilium.io/global", "service.cilium.io/shared")
                .doesNotContainValue("none");
    }

    @Test
    void readsAnnotationsWithCiliumDefaults() {
        assertThat(CiliumServiceConfig.fromAnnotations(Map.of())).contains(CiliumServiceConfig.LOCAL_ONLY);
        assertThat(CiliumServiceConfig.fromAnnotations(Map.of("service.cilium.io/global", "true",
                "service.cilium.io/affinity", "remote"))).contains(CiliumServiceConfig.global(true, Affinity.REMOTE));
        assertThat(CiliumServiceConfig.fromAnnotations(Map.of("service.cilium.io/affinity", "sideways"))).isEmpty();
    }

    @Test
    void readsBackWhatItWrites() {
        for (Affinity affinity : Affinity.values()) {
            CiliumServiceConfig config = CiliumServiceConfig.global(false, affinity);
            assertThat(CiliumServiceConfig.fromAnnotations(config.annotations())).contains(config);
        }
    }
}
