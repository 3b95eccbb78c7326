package io.meshpilot.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointTallyTest {

    @Test
    void countsEachConditionOfEachEndpoint() {
        EndpointTally tally = EndpointTally.count(List.of(
                new Endpoint("pod-a", true, true, false),
                new Endpoint("pod-b", false, true, true),
                new Endpoint("pod-c", false, false, false)));

        // pod-b is serving and terminating: a fallback locally, exported; pod-c neither
        assertThat(tally).isEqualTo(new EndpointTally(1, 2, 1, 1, 1, 2, 3));
    }

    @Test
    void countsAnEndpointWithoutConditionsAsReadyAndServing() {
        assertThat(EndpointTally.count(List.of(new Endpoint("pod-a", null, null, null))))
                .isEqualTo(new EndpointTally(1, 1, 0, 1, 0, 1, 1));
    }

    @Test
    void countsAPodInAnIpv4AndAnIpv6SliceOnce() {
        EndpointTally tally = EndpointTally.count(List.of(
                new Endpoint("pod-a", true, true, false),
                new Endpoint("pod-b", true, true, false),
                new Endpoint("pod-a", true, true, false),
                new Endpoint("pod-b", true, true, false)));

        assertThat(tally).isEqualTo(new EndpointTally(2, 2, 0, 2, 0, 2, 2));
    }

    @Test
    void countsAPodWhoseTwoSlicesDisagreeAsItsMostAvailableView() {
        EndpointTally tally = EndpointTally.count(List.of(
                new Endpoint("ready-in-v6", false, false, false), new Endpoint("ready-in-v6", true, true, false),
                new Endpoint("ready-in-v4", true, true, false), new Endpoint("ready-in-v4", false, false, true),
                new Endpoint("serving-in-v4", false, true, true), new Endpoint("serving-in-v4", false, false, true),
                new Endpoint("serving-in-v6", false, false, true), new Endpoint("serving-in-v6", false, true, true),
                new Endpoint("terminating-in-v4", false, false, true),
                new Endpoint("terminating-in-v4", false, false, false)));

        // terminating only when both views say so; ready or serving when either does
        assertThat(tally).isEqualTo(new EndpointTally(2, 4, 2, 2, 2, 4, 5));
    }

    @Test
    void countsEndpointsAsCiliumDoesLocallyAndForExport() {
        assertThat(new Endpoint("ready-terminating", true, true, true).localState()).isEqualTo(LocalState.ACTIVE);
        assertThat(new Endpoint("draining", false, true, true).localState()).isEqualTo(LocalState.FALLBACK);
        assertThat(new Endpoint("draining", false, true, true).isExported()).isTrue();
        assertThat(new Endpoint("warming", false, true, false).localState()).isEqualTo(LocalState.MAINTENANCE);
        assertThat(new Endpoint("warming", false, true, false).isExported()).isTrue();
        assertThat(new Endpoint("gone", false, false, true).localState())
                .isEqualTo(LocalState.TERMINATING_NOT_SERVING);
        assertThat(new Endpoint("gone", false, false, true).isExported()).isFalse();
    }

    @Test
    void readsAnAbsentServingConditionAsTrueEvenWhenNotReady() {
        assertThat(new Endpoint("pod", false, null, true).isServing()).isTrue();
        assertThat(new Endpoint("pod", false, null, true).isFallback()).isTrue();
    }

    @Test
    void takesTheOlderFiveCountFormAsActiveExportedAndNothingFallingBack() {
        assertThat(new EndpointTally(2, 2, 0, 2, 3)).isEqualTo(new EndpointTally(2, 2, 0, 2, 0, 2, 3));
    }

    @Test
    void computesTheReadyRatio() {
        assertThat(new EndpointTally(1, 1, 0, 1, 4).readyRatio()).isEqualTo(0.25);
        assertThat(EndpointTally.NONE.readyRatio()).isZero();
    }
}
