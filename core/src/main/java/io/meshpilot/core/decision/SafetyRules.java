package io.meshpilot.core.decision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The policy's safety rules, which the engine never breaks (issue 22, point 3). {@code minExportingRegions}: a
 * region that exports the Service stops only while at least that many regions still export it; otherwise the regions
 * that would withdraw keep exporting, those with the most ready endpoints first, with the reason
 * {@code blocked-by-safety-rule}. The rule only stops a change: it never makes a region export that did not.
 */
final class SafetyRules {

    private static final Comparator<RegionPlan> MOST_READY_FIRST = Comparator.comparingInt(RegionPlan::ready)
            .reversed().thenComparing(RegionPlan::region);

    private SafetyRules() {
    }

    static void keepExporting(Policy policy, List<RegionPlan> regions) {
        int exporting = 0;
        List<RegionPlan> withdrawing = new ArrayList<>();
        for (RegionPlan region : regions) {
            if (region.exporting && region.input.exportable()) {
                exporting++;
            } else if (!region.hold && region.input.exportable() && exportedBefore(region)) {
                withdrawing.add(region);
            }
        }
        withdrawing.sort(MOST_READY_FIRST);
        for (RegionPlan region : withdrawing) {
            if (exporting >= policy.minExportingRegions()) {
                return;
            }
            region.exporting = true;
            region.annotations = Reachability.exporting(region.annotations);
            region.reason = Reason.BLOCKED_BY_SAFETY_RULE;
            exporting++;
        }
    }

    /** Whether the region exported before this decision: as the previous decision said, or as its agent applied. */
    private static boolean exportedBefore(RegionPlan region) {
        return region.previous.map(RegionOutcome::exporting).orElse(false) || region.confirmedExport();
    }
}
