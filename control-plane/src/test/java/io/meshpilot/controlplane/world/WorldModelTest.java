package io.meshpilot.controlplane.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorldModelTest {

    private static final ServiceKey ALPHA = new ServiceKey("default", "alpha");

    @Test
    void tellsItsListenerOfEveryServiceWhoseRecordsChangeIncludingOneThatIsGone() {
        WorldModel world = new WorldModel();
        List<ServiceKey> told = new ArrayList<>();
        world.onChange(told::add);

        world.health(ALPHA, "us", 0, new ServiceHealth("us", "default", "alpha", new EndpointCounts(1, 1, 0, 1, 1),
                Instant.EPOCH, "agent-us"));
        world.status(ALPHA, "us", 0, null);
        world.health(ALPHA, "us", 0, null);

        assertThat(told).containsExactly(ALPHA, ALPHA, ALPHA);
        assertThat(world.service(ALPHA)).isEmpty();
    }
}
