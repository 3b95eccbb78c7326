package io.meshpilot.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.health.Endpoint;
import io.meshpilot.schemas.ServiceKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The inventory of managed Services and their slices' endpoints. */
class ServiceInventoryTest {

    private static final ServiceKey HELLO = new ServiceKey("default", "hello-world");

    @Test
    void givesTheOneKeyInstanceItKeepsForAServiceSoOtherMapsCanShareIt() {
        ServiceInventory inventory = new ServiceInventory();
        ServiceKey first = new ServiceKey("default", "hello-world");
        inventory.manage(first);

        ServiceKey equal = new ServiceKey("default", "hello-world");
        ServiceKey unknown = new ServiceKey("default", "other");

        assertThat(inventory.key(equal)).isSameAs(first);
        assertThat(inventory.key(unknown)).isSameAs(unknown);
    }

    @Test
    void findsTheServiceOfASliceByItsNameWhenItsLabelsAreUnknown() {
        ServiceInventory inventory = new ServiceInventory();
        inventory.manage(HELLO);
        inventory.putSlice(HELLO, "hello-world-abcde", List.of(new Endpoint("uid:1", true, true, false)));
        inventory.putSlice(new ServiceKey("other", "hello-world"), "hello-world-fghij", List.of());

        assertThat(inventory.serviceOfSlice("default", "hello-world-abcde")).contains(HELLO);
        assertThat(inventory.serviceOfSlice("other", "hello-world-abcde")).isEmpty();
        assertThat(inventory.serviceOfSlice("default", "unknown")).isEmpty();
    }

    @Test
    void talliesEverySliceOfAServiceAndForgetsOneRemoved() {
        ServiceInventory inventory = new ServiceInventory();
        inventory.manage(HELLO);
        inventory.putSlice(HELLO, "v4", List.of(new Endpoint("uid:1", true, true, false)));
        inventory.putSlice(HELLO, "v6", List.of(new Endpoint("uid:2", true, true, false)));
        inventory.putSlice(HELLO, "v4", List.of(new Endpoint("uid:1", false, false, false)));

        assertThat(inventory.tally(HELLO).total()).isEqualTo(2);
        assertThat(inventory.tally(HELLO).ready()).isEqualTo(1);
        inventory.removeSlice(HELLO, "v6");
        assertThat(inventory.tally(HELLO).ready()).isZero();
        inventory.removeSlice(HELLO, "v4");
        assertThat(inventory.tally(HELLO).total()).isZero();
        assertThat(inventory.isManaged(HELLO)).isTrue();
        inventory.release(HELLO);
        assertThat(inventory.managedServices()).isEmpty();
    }

    @Test
    void countsManagedServicesWithoutCopyingThem() {
        ServiceInventory inventory = new ServiceInventory();
        inventory.manage(HELLO);
        inventory.manage(new ServiceKey("default", "other"));
        inventory.release(HELLO);

        assertThat(inventory.managedCount()).isEqualTo(1);
        inventory.clear();
        assertThat(inventory.managedCount()).isZero();
        assertThat(inventory.tally(HELLO).total()).isZero();
    }
}
