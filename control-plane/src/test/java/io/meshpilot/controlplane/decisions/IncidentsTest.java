package io.meshpilot.controlplane.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.controlplane.world.RegionRecords;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.ServiceKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The open incidents of a Service: closed once every region applied, and never more than a few kept. */
class IncidentsTest {

    private static final ServiceKey SERVICE = new ServiceKey("default", "hello-world");
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    private final Incidents incidents = new Incidents();

    @Test
    void anIncidentAppliedEverywhereIsReturnedOnceAndNoLongerOpen() {
        assertThat(incidents.anyOpen(SERVICE)).isFalse();
        incidents.committed(SERVICE, incident(3));
        assertThat(incidents.anyOpen(SERVICE)).isTrue();

        assertThat(incidents.progress(SERVICE, Map.of("us", applied("us", 3)))).isEmpty();
        assertThat(incidents.progress(SERVICE, Map.of("us", applied("us", 3), "eu", applied("eu", 4))))
                .extracting(Incidents.Open::version).containsExactly(3L);

        assertThat(incidents.anyOpen(SERVICE)).isFalse();
        assertThat(incidents.progress(SERVICE, Map.of("us", applied("us", 3), "eu", applied("eu", 4)))).isEmpty();
    }

    @Test
    void onlyTheNewestIncidentsAreKeptOpen() {
        for (int version = 1; version <= Incidents.OPEN_PER_SERVICE; version++) {
            incidents.committed(SERVICE, incident(version));
        }
        Map<String, RegionRecords> all = Map.of("us", applied("us", 100), "eu", applied("eu", 100));
        assertThat(incidents.progress(SERVICE, all)).hasSize(Incidents.OPEN_PER_SERVICE);

        for (int version = 1; version <= Incidents.OPEN_PER_SERVICE + 1; version++) {
            incidents.committed(SERVICE, incident(version));
        }
        assertThat(incidents.progress(SERVICE, all)).extracting(Incidents.Open::version)
                .hasSize(Incidents.OPEN_PER_SERVICE).doesNotContain(1L);
    }

    @Test
    void forgottenServicesHaveNothingOpenNorSeen() {
        incidents.committed(SERVICE, incident(1));
        incidents.stateSeen(SERVICE, "us", T0);
        assertThat(incidents.stateSeenAt(SERVICE, "us")).contains(T0);

        incidents.forget(SERVICE);

        assertThat(incidents.anyOpen(SERVICE)).isFalse();
        assertThat(incidents.stateSeenAt(SERVICE, "us")).isEmpty();
    }

    private static Incidents.Open incident(long version) {
        return new Incidents.Open("us", "failover", version, T0, T0.plusSeconds(1), Set.of("us", "eu"),
                new HashMap<>());
    }

    private static RegionRecords applied(String region, long version) {
        return new RegionRecords(null, null, new DirectiveStatus(region, SERVICE.namespace(), SERVICE.name(), version,
                DirectiveStatus.Result.APPLIED, "applied", T0.plusSeconds(2), "agent-" + region));
    }
}
