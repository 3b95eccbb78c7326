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

    @Test
    void aDirectiveOfALowerVersionIsNotTakenUnlessATombstoneCameBetween() {
        WorldModel world = new WorldModel();
        world.directive(ALPHA, "us", 0, directive(5));
        world.directive(ALPHA, "us", 0, directive(3));
        assertThat(world.service(ALPHA).get("us").directive().version()).isEqualTo(5);

        world.directive(ALPHA, "us", 0, null);
        world.directive(ALPHA, "us", 0, directive(1));
        assertThat(world.service(ALPHA).get("us").directive().version()).as("the Service came back").isEqualTo(1);
    }

    private static io.meshpilot.schemas.ServiceDirective directive(long version) {
        return new io.meshpilot.schemas.ServiceDirective("us", "default", "alpha", version, java.util.Map.of(),
                "local-healthy", Instant.EPOCH);
    }

    @Test
    void keepsEachServicesRegionsInOrderWithTheirRecordsAndPartition() {
        WorldModel world = new WorldModel();
        ServiceKey beta = new ServiceKey("default", "beta");
        for (String region : List.of("us", "ap", "eu")) {
            world.health(ALPHA, region, 2, health(region, "alpha"));
        }
        world.health(beta, "eu", 4, health("eu", "beta"));
        world.status(ALPHA, "ap", 2, null);

        assertThat(world.service(ALPHA).keySet()).containsExactly("ap", "eu", "us");
        assertThat(world.service(ALPHA).get("eu").health()).isEqualTo(health("eu", "alpha"));
        assertThat(world.service(ALPHA)).containsKey("us").doesNotContainKey("mars").hasSize(3);
        assertThat(world.service(ALPHA).get("mars")).isNull();
        assertThat(world.partition(ALPHA)).contains(2);
        assertThat(world.partition(new ServiceKey("default", "gamma"))).isEmpty();
        assertThat(world.servicesInPartition(4)).containsExactly(beta);
        assertThat(world.servicesInRegion("eu")).containsExactly(ALPHA, beta);
        assertThat(world.servicesInRegion("us")).containsExactly(ALPHA);
        assertThat(world.services()).containsExactly(ALPHA, beta);
        assertThat(world.regions()).containsExactlyInAnyOrder("ap", "eu", "us");

        world.health(ALPHA, "eu", 3, null);

        assertThat(world.service(ALPHA).keySet()).containsExactly("ap", "us");
        assertThat(world.servicesInRegion("eu")).containsExactly(beta);
        assertThat(world.partition(ALPHA)).contains(3);
        assertThat(world.service(beta)).isEqualTo(java.util.Map.of("eu", new RegionRecords(health("eu", "beta"),
                null, null)));
        assertThat(world.size()).isEqualTo(2);
    }

    private static ServiceHealth health(String region, String service) {
        return new ServiceHealth(region, "default", service, new EndpointCounts(1, 1, 0, 1, 1), Instant.EPOCH,
                "agent-" + region);
    }
}
