package io.meshpilot.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheTtlsTest {

    @Test
    void givesEachRegionItsTtlAndForEverToTheOthers() {
        CacheTtls ttls = new CacheTtls(Map.of("us", Duration.ofMinutes(5), "eu", Duration.ZERO));

        assertThat(ttls.of("us")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ttls.of("eu")).isZero();
        assertThat(ttls.of("ap")).isZero();
        assertThat(CacheTtls.NEVER.of("us")).isZero();
    }

    @Test
    void refusesANegativeTtlNamingTheRegion() {
        assertThatThrownBy(() -> new CacheTtls(Map.of("us", Duration.ofSeconds(-1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("us");
    }
}
