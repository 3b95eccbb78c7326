package io.meshpilot.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.core.decision.Mode;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Handing a Service back mid-incident is accepted, with a warning per region it leaves with nothing. */
class PolicyWarningsTest {

    private static final ServiceKey HELLO = new ServiceKey("default", "hello-world");

    private final WorldModel world = new WorldModel();
    private final PolicyBook book = new PolicyBook();

    @Test
    void warnsWhenUnmanagedLeavesARegionsClientsWithNoBackend() {
        health("us", 0);
        health("eu", 3);
        book.accept("default/hello-world", policy("default/hello-world", Mode.UNMANAGED));

        assertThat(PolicyWarnings.of("default/hello-world", book, world)).singleElement().asString()
                .contains("default/hello-world", "region us", "no backend");
    }

    @Test
    void saysNothingWhenEveryRegionHasBackendsOrTheModeStillRoutesAcrossClusters() {
        health("us", 2);
        health("eu", 3);
        book.accept("*", policy("*", Mode.UNMANAGED));
        assertThat(PolicyWarnings.of("*", book, world)).isEmpty();

        health("us", 0);
        book.accept("*", policy("*", Mode.LOCAL));
        assertThat(PolicyWarnings.of("*", book, world)).isEmpty();
    }

    @Test
    void aMoreSpecificPolicyInForceIsNotTheOneBeingJudged() {
        health("us", 0);
        health("eu", 3);
        book.accept("default/hello-world", policy("default/hello-world", Mode.AUTO));
        book.accept("*", policy("*", Mode.UNMANAGED));

        assertThat(PolicyWarnings.of("*", book, world)).isEmpty();
    }

    private void health(String region, int ready) {
        world.health(HELLO, region, 0, new ServiceHealth(region, HELLO.namespace(), HELLO.name(),
                new EndpointCounts(ready, ready, 0, ready, 3), Instant.EPOCH, "agent-" + region));
    }

    private static Policy policy(String scope, Mode mode) {
        return new Policy(scope, mode, 1, 0, Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(15),
                List.of(), 0, Set.of());
    }
}
