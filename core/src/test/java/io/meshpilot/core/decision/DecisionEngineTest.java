package io.meshpilot.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.core.routing.Affinity;
import io.meshpilot.core.routing.CiliumServiceConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionEngineTest {

    private static final EndpointTally TWO_READY = new EndpointTally(2, 2, 0, 2, 2);
    private static final EndpointTally NONE_READY = new EndpointTally(0, 0, 0, 0, 2);

    private final DecisionEngine engine = new DecisionEngine();

    @Test
    void keepsHealthyRegionsLocal() {
        ServiceDecision decision = engine.decide(Policy.DEFAULT,
                List.of(new RegionInput("us", TWO_READY), new RegionInput("eu", TWO_READY)));

        assertThat(decision.regions()).extracting(RegionOutcome::region).containsExactly("eu", "us");
        assertThat(decision.regions()).allSatisfy(outcome -> {
            assertThat(outcome.config()).isEqualTo(CiliumServiceConfig.global(true, Affinity.LOCAL));
            assertThat(outcome.reason()).isEqualTo(Reason.LOCAL_HEALTHY);
        });
        assertThat(decision.globalOutage()).isFalse();
    }

    @Test
    void sendsARegionWithoutReadyEndpointsRemote() {
        ServiceDecision decision = engine.decide(Policy.DEFAULT,
                List.of(new RegionInput("us", NONE_READY), new RegionInput("eu", TWO_READY)));

        assertThat(decision.region("us").orElseThrow())
                .isEqualTo(new RegionOutcome("us", RegionState.DEGRADED,
                        CiliumServiceConfig.global(true, Affinity.REMOTE), Reason.LOCAL_DEGRADED));
        assertThat(decision.region("eu").orElseThrow().reason()).isEqualTo(Reason.LOCAL_HEALTHY);
    }

    @Test
    void keepsEverythingLocalWhenNoRegionIsHealthy() {
        ServiceDecision decision = engine.decide(Policy.DEFAULT,
                List.of(new RegionInput("us", NONE_READY), new RegionInput("eu", EndpointTally.NONE)));

        assertThat(decision.globalOutage()).isTrue();
        assertThat(decision.regions()).allSatisfy(outcome -> {
            assertThat(outcome.config()).isEqualTo(CiliumServiceConfig.global(true, Affinity.LOCAL));
            assertThat(outcome.reason()).isEqualTo(Reason.NO_HEALTHY_TARGET);
        });
    }

    @Test
    void judgesHealthByMinimumReadyEndpointsAndRatio() {
        EndpointTally oneOfFour = new EndpointTally(1, 1, 0, 1, 4);

        assertThat(DecisionEngine.isHealthy(Policy.DEFAULT, oneOfFour)).isTrue();
        assertThat(DecisionEngine.isHealthy(new Policy(2, 0.0), oneOfFour)).isFalse();
        assertThat(DecisionEngine.isHealthy(new Policy(1, 0.5), oneOfFour)).isFalse();
    }
}
