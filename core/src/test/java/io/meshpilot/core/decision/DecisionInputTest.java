package io.meshpilot.core.decision;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshpilot.core.health.EndpointTally;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionInputTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void refusesARegionThatAppearsTwice() {
        List<RegionInput> regions = List.of(region("us", 2), region("eu", 2), region("us", 0));

        assertThatThrownBy(() -> new DecisionInput(Policy.DEFAULT, regions, Optional.empty(), NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[us, eu, us]");
    }

    private static RegionInput region(String name, int ready) {
        return new RegionInput(name, new EndpointTally(ready, ready, 0, ready, 2), NOW, Optional.of(NOW));
    }
}
