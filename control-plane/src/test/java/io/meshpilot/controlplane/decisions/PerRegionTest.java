package io.meshpilot.controlplane.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A value per region: what is put is got back, in any order of regions, and replacing keeps one slot. */
class PerRegionTest {

    @Test
    void valuesPutInAnyOrderOfRegionsAreGotBackAndAPutAgainReplaces() {
        PerRegion<Integer> values = new PerRegion<>();
        assertThat(values.isEmpty()).isTrue();

        values.put("us", 1);
        values.put("ap", 2);
        values.put("eu", 3);
        values.put("us", 4);

        assertThat(values.isEmpty()).isFalse();
        assertThat(values.get("ap")).isEqualTo(2);
        assertThat(values.get("eu")).isEqualTo(3);
        assertThat(values.get("us")).isEqualTo(4);
        assertThat(values.get("sa")).isNull();
    }
}
