package io.meshpilot.core.decision;

import io.meshpilot.core.routing.Affinity;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.core.routing.ClusterService;
import io.meshpilot.core.routing.RoutingModel;
import io.meshpilot.core.health.EndpointTally;
import java.util.Optional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the Cilium routing model says of a set of plans: which regions' clients reach a backend. Each region is seen
 * from each other as Cilium sees it: locally its active endpoints (and the serving, terminating ones when none is
 * active); from elsewhere what it exports, nothing if its Namespace cannot export or if it is stale past the
 * viewer's {@code clustermesh.cacheTTL} (that Cilium forgot its backends).
 */
final class Reachability {

    private final List<RegionPlan> regions;
    private final Instant now;

    Reachability(List<RegionPlan> regions, Instant now) {
        this.regions = regions;
        this.now = now;
    }

    /** Whether the clients in {@code from} reach a backend when each region exports as {@code exports} says. */
    boolean reaches(RegionPlan from, Predicate<RegionPlan> exports) {
        if (from.input.endpoints().active() > 0) {
            // Whatever its affinity and whoever exports, Cilium uses local active backends when nothing remote is
            // preferred and available: the routing model below always answers yes. Checking it first keeps a
            // decision linear in the regions where none is stranded (255 regions: each region's view is 255 wide).
            return true;
        }
        List<ClusterService> view = new ArrayList<>(regions.size());
        for (RegionPlan region : regions) {
            boolean local = region == from;
            CiliumServiceConfig config = config(region.annotations);
            CiliumServiceConfig seen = new CiliumServiceConfig(config.global(), exports.test(region),
                    config.affinity());
            EndpointTally endpoints = region.input.endpoints();
            view.add(local ? new ClusterService(region.region(), seen, endpoints.active(), endpoints.fallback(), 0,
                    true, Optional.empty())
                    : new ClusterService(region.region(), seen, 0, 0, visible(region, from), true, Optional.empty()));
        }
        return !RoutingModel.reachableFrom(from.region(), view).isEmpty();
    }

    /**
     * The backends {@code from}'s clients could reach in {@code region} if it exports: what it exports (ready or
     * serving), none if its Namespace cannot export or if it is stale past {@code from}'s cache TTL.
     */
    int visible(RegionPlan region, RegionPlan from) {
        boolean forgotten = region.stale() && region.input.forgottenBy(from.input).map(at -> !now.isBefore(at))
                .orElse(false);
        return !region.input.exportable() || forgotten ? 0 : region.input.endpoints().exported();
    }

    static CiliumServiceConfig config(Map<String, String> annotations) {
        return CiliumServiceConfig.fromAnnotations(annotations).orElse(CiliumServiceConfig.LOCAL_ONLY);
    }

    static Map<String, String> exporting(Map<String, String> annotations) {
        CiliumServiceConfig config = config(annotations);
        Affinity affinity = config.global() ? config.affinity() : Affinity.LOCAL;
        return CiliumServiceConfig.global(true, affinity).annotations();
    }
}
