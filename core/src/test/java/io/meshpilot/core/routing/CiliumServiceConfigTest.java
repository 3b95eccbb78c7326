package io.meshpilot.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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
        assertThat(CiliumServiceConfig.fromAnnotations(Map.of("service.cilium.io/global", "true",
                "service.cilium.io/affinity", "sideways"))).contains(CiliumServiceConfig.global(true, Affinity.BALANCED));
    }

    @Test
    void readsAffinityNoneAsLocalOnlyOnReleasesBeforeTheFix() {
        Map<String, String> none = Map.of("service.cilium.io/global", "true", "service.cilium.io/affinity", "none");
        assertThat(CiliumServiceConfig.read(none, CiliumRelease.parse("1.19.5")).config().affinity())
                .isEqualTo(Affinity.LOCAL_ONLY);
        assertThat(CiliumServiceConfig.read(none, CiliumRelease.parse("1.19.6")).config().affinity())
                .isEqualTo(Affinity.BALANCED);
    }

    @Test
    void warnsOfAnUnknownAffinityOnFixedReleases() {
        assertThat(CiliumServiceConfig.read(Map.of("service.cilium.io/global", "true",
                "service.cilium.io/affinity", "sideways"), CiliumRelease.CONFORMANCE).warnings())
                .containsExactly("unrecognized service affinity value: \"sideways\"");
    }

    @Test
    void readsALegacyAliasOnlyWhenTheAnnotationIsAbsent() {
        assertThat(CiliumServiceConfig.fromAnnotations(Map.of("io.cilium/global-service", "true",
                "io.cilium/service-affinity", "local")).orElseThrow())
                .isEqualTo(CiliumServiceConfig.global(true, Affinity.LOCAL));
        assertThat(CiliumServiceConfig.fromAnnotations(Map.of("service.cilium.io/global", "false",
                "io.cilium/global-service", "true")).orElseThrow().global()).isFalse();
    }

    @Test
    void ownsTheLegacyAliases() {
        assertThat(CiliumServiceConfig.OWNED).contains("io.cilium/global-service", "io.cilium/shared-service",
                "io.cilium/service-affinity");
    }

    @Test
    void neverWritesAnAffinityThatReadsAsLocalOnly() {
        assertThatThrownBy(() -> CiliumServiceConfig.global(true, Affinity.LOCAL_ONLY).annotations())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void readsBackWhatItWrites() {
        for (Affinity affinity : List.of(Affinity.LOCAL, Affinity.REMOTE, Affinity.BALANCED)) {
            CiliumServiceConfig config = CiliumServiceConfig.global(false, affinity);
            assertThat(CiliumServiceConfig.fromAnnotations(config.annotations())).contains(config);
        }
    }
}
