package io.meshpilot.controlplane.world;

import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;

/**
 * What the topics say about one Service in one region: the agent's latest health, the directive in force (the latest
 * published and committed), and the agent's latest status. Any may be null.
 */
public record RegionRecords(ServiceHealth health, ServiceDirective directive, DirectiveStatus status) {

    static final RegionRecords EMPTY = new RegionRecords(null, null, null);

    RegionRecords withHealth(ServiceHealth changed) {
        return new RegionRecords(changed, directive, status);
    }

    RegionRecords withDirective(ServiceDirective changed) {
        return new RegionRecords(health, changed, status);
    }

    RegionRecords withStatus(DirectiveStatus changed) {
        return new RegionRecords(health, directive, changed);
    }

    boolean isEmpty() {
        return health == null && directive == null && status == null;
    }
}
