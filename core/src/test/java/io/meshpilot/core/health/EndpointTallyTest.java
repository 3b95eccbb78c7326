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

        assertThat(tally).isEqualTo(new EndpointTally(1, 2, 1, 1, 3));
    }

    @Test
    void countsAnEndpointWithoutConditionsAsReadyAndServing() {
        assertThat(EndpointTally.count(List.of(new Endpoint("pod-a", null, null, null))))
                .isEqualTo(new EndpointTally(1, 1, 0, 1, 1));
    }

    @Test
    void countsAPodInAnIpv4AndAnIpv6SliceOnce() {
        EndpointTally tally = EndpointTally.count(List.of(
                new Endpoint("pod-a", true, true, false),
                new Endpoint("pod-b", true, true, false),
                new Endpoint("pod-a", true, true, false),
                new Endpoint("pod-b", true, true, false)));

        assertThat(tally).isEqualTo(new EndpointTally(2, 2, 0, 2, 2));
    }

    @Test
    void treatsServingAndNotTerminatingAsActiveButNotTerminatingOnes() {
        assertThat(new Endpoint("draining", false, true, true).isActive()).isFalse();
        assertThat(new Endpoint("warming", false, true, false).isActive()).isTrue();
    }

    @Test
    void computesTheReadyRatio() {
        assertThat(new EndpointTally(1, 1, 0, 1, 4).readyRatio()).isEqualTo(0.25);
        assertThat(EndpointTally.NONE.readyRatio()).isZero();
    }
}
