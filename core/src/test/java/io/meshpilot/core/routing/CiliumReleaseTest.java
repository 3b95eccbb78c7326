package io.meshpilot.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Cilium releases whose behaviours differ, as docs/cilium.md lists them. */
class CiliumReleaseTest {

    @Test
    void parsesAReleaseWithOrWithoutItsVAndPrintsItBack() {
        assertThat(CiliumRelease.parse("v1.19.6")).isEqualTo(new CiliumRelease(19, 6));
        assertThat(CiliumRelease.parse(" 1.0.0 ")).hasToString("1.0.0");
        assertThatThrownBy(() -> CiliumRelease.parse("2.0.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CiliumRelease(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CiliumRelease(19, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gatesExportByNamespaceAndHasACacheTtlFrom119() {
        CiliumRelease before = CiliumRelease.parse("1.18.9");
        CiliumRelease from = CiliumRelease.parse("1.19.0");

        assertThat(before.gatesExportByNamespace()).isFalse();
        assertThat(before.hasCacheTtl()).isFalse();
        assertThat(from.gatesExportByNamespace()).isTrue();
        assertThat(from.hasCacheTtl()).isTrue();
    }

    @Test
    void readsAffinityNoneAsBalancedFrom1196And1200() {
        assertThat(CiliumRelease.parse("1.19.5").readsAffinityNoneAsBalanced()).isFalse();
        assertThat(CiliumRelease.parse("1.19.6").readsAffinityNoneAsBalanced()).isTrue();
        assertThat(CiliumRelease.parse("1.20.0").readsAffinityNoneAsBalanced()).isTrue();
    }

    @Test
    void ordersReleasesByMinorThenPatch() {
        List<CiliumRelease> releases = List.of(CiliumRelease.parse("1.20.0"), CiliumRelease.parse("1.19.6"),
                CiliumRelease.parse("1.19.10"), CiliumRelease.OLDEST_SUPPORTED);

        assertThat(releases.stream().sorted().map(CiliumRelease::toString))
                .containsExactly("1.18.0", "1.19.6", "1.19.10", "1.20.0");
        assertThat(CiliumRelease.parse("1.19.6")).isEqualByComparingTo(new CiliumRelease(19, 6));
    }
}
