package io.meshpilot.controlplane.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.schemas.ServiceDirective;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The region-state metric tells healthy, degraded, drained and stale apart, whatever the reason. */
class RegionStatesTest {

    @Test
    void takesTheStateTheDirectiveNames() {
        assertThat(RegionStates.of(records("no-healthy-target", "healthy"), false)).isEqualTo("healthy");
        assertThat(RegionStates.of(records("no-healthy-target", "degraded"), false)).isEqualTo("degraded");
        assertThat(RegionStates.of(records("drain-overridden", "drained"), false)).isEqualTo("drained");
        assertThat(RegionStates.of(records("last-resort-export", "degraded"), true)).isEqualTo("stale");
        assertThat(RegionStates.of(records("unmanaged-by-policy", "healthy"), false)).isEqualTo("unmanaged");
    }

    @Test
    void readsTheReasonOfADirectiveThatNamesNoState() {
        assertThat(RegionStates.of(records("drain-overridden", null), false)).isEqualTo("drained");
        assertThat(RegionStates.of(records("insufficient-capacity", null), false)).isEqualTo("degraded");
        assertThat(RegionStates.of(RegionRecords.EMPTY, false)).isEqualTo("pending");
    }

    private static RegionRecords records(String reason, String state) {
        return new RegionRecords(null, new ServiceDirective("us", "default", "hello-world", 1,
                Map.of("service.cilium.io/global", "true"), reason, Instant.EPOCH, state, Instant.EPOCH, List.of()),
                null);
    }
}
