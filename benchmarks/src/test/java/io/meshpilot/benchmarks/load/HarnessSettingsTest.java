package io.meshpilot.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HarnessSettingsTest {

    @Test
    void readsTheSizesTheRegionsAndWhetherTheBaselineRuns() {
        HarnessSettings settings = HarnessSettings.parse(new String[] {"--services", "200", "--regions", "255",
                "--no-baseline", "--write-rate", "10000", "--partitions", "24"});

        assertThat(settings.services()).containsExactly(200);
        assertThat(settings.regions()).hasSize(255).startsWith("r001", "r002").endsWith("r255");
        assertThat(settings.baseline()).isFalse();
        assertThat(settings.writeRate()).isEqualTo(10_000);
        assertThat(settings.partitions()).isEqualTo(24);
        assertThat(HarnessSettings.defaults().partitions()).isEqualTo(6);
    }

    @Test
    void readsRegionsByName() {
        assertThat(HarnessSettings.parse(new String[] {"--regions", "us, eu"}).regions())
                .isEqualTo(List.of("us", "eu"));
        assertThat(HarnessSettings.defaults().baseline()).isTrue();
    }

    @Test
    void refusesMoreRegionsThanClusterMeshConnects() {
        assertThatThrownBy(() -> HarnessSettings.parse(new String[] {"--regions", "512"}))
                .hasMessageContaining("--regions must be 1 to 511");
    }
}
