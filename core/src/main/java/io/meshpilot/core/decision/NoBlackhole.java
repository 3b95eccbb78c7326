package io.meshpilot.core.decision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * SPEC §5b invariant 1 by construction: while any region has an active backend, every region's clients must reach
 * one. Where the planned exports leave a region's clients with nothing, the region with the most reachable backends
 * that does not export starts exporting again ({@code last-resort-export}), fresh regions before stale ones; a stale
 * region so re-exported gets its directive published (applied if its agent is alive but cut off from Kafka, or when
 * it is heard again). That only happens with no fresh target, which is a global outage already.
 */
final class NoBlackhole {

    private NoBlackhole() {
    }

    static void repair(List<RegionPlan> regions, Reachability model) {
        for (int round = 0; round < regions.size(); round++) {
            Optional<RegionPlan> stranded = regions.stream().filter(region -> Reachability.config(
                    region.annotations).global() && !model.reaches(region, plan -> plan.exporting)).findFirst();
            if (stranded.isEmpty()) {
                break;
            }
            Optional<RegionPlan> source = candidates(regions, stranded.get(), model).stream().findFirst();
            if (source.isEmpty()) {
                break;
            }
            RegionPlan region = source.get();
            region.hold = false;
            region.exporting = true;
            region.annotations = Reachability.exporting(region.annotations);
            if (!region.target) {
                region.reason = Reason.LAST_RESORT_EXPORT;
            }
        }
    }

    private static List<RegionPlan> candidates(List<RegionPlan> regions, RegionPlan stranded, Reachability model) {
        List<RegionPlan> candidates = new ArrayList<>();
        for (RegionPlan region : regions) {
            if (region != stranded && !region.exporting && model.visible(region, stranded) > 0) {
                candidates.add(region);
            }
        }
        candidates.sort(Comparator.comparing(RegionPlan::stale)
                .thenComparing(Comparator.comparingInt((RegionPlan region) -> model.visible(region, stranded))
                        .reversed())
                .thenComparing(RegionPlan::region));
        return candidates;
    }
}
