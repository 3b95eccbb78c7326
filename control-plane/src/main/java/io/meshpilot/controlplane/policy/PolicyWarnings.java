package io.meshpilot.controlplane.policy;

import io.meshpilot.controlplane.world.RegionRecords;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.core.decision.Mode;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.schemas.ServiceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an accepted policy does that its author should know before it takes effect: a Service handed back
 * ({@code unmanaged}) stops being global, so a region with no active endpoint of its own leaves its clients with
 * nothing while another region has backends.
 */
public final class PolicyWarnings {

    static final int MOST = 20;

    private PolicyWarnings() {
    }

    /** The warnings for the policy just accepted under {@code scope}, the book already holding it. */
    public static List<String> of(String scope, PolicyBook book, WorldModel world) {
        List<String> warnings = new ArrayList<>();
        int more = 0;
        for (ServiceKey service : world.services()) {
            Policy policy = book.resolve(service);
            if (!PolicyBook.covers(scope, service) || !policy.scope().equals(scope)
                    || policy.mode() != Mode.UNMANAGED) {
                continue;
            }
            Map<String, RegionRecords> regions = world.service(service);
            boolean anyBackend = regions.values().stream().anyMatch(PolicyWarnings::hasBackend);
            for (Map.Entry<String, RegionRecords> region : regions.entrySet()) {
                if (anyBackend && region.getValue().health() != null && !hasBackend(region.getValue())) {
                    if (warnings.size() < MOST) {
                        warnings.add("unmanaged leaves the clients of " + service + " in region " + region.getKey()
                                + " with no backend: it has no active endpoint, and a Service that is not global"
                                + " reaches only its own");
                    } else {
                        more++;
                    }
                }
            }
        }
        if (more > 0) {
            warnings.add("and " + more + " more regions of Services in " + scope + " likewise");
        }
        return warnings;
    }

    private static boolean hasBackend(RegionRecords records) {
        return records.health() != null && records.health().endpoints().active() > 0;
    }
}
