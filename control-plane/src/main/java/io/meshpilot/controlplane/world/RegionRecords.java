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

    /**
     * A directive of a lower version than the one held is not taken: the agent skips it too (a replica that decided
     * on an older view, or the topic read again from the beginning). A tombstone always is.
     */
    RegionRecords withDirective(ServiceDirective changed) {
        if (changed != null && directive != null && changed.version() < directive.version()) {
            return this;
        }
        return new RegionRecords(health, changed, status);
    }

    RegionRecords withStatus(DirectiveStatus changed) {
        return new RegionRecords(health, directive, changed);
    }

    boolean isEmpty() {
        return health == null && directive == null && status == null;
    }
}
