package io.meshpilot.core.decision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The policy's safety rules, which the engine never breaks (issue 22, point 3). Each only stops a withdrawal (the
 * region keeps exporting, reason {@code blocked-by-safety-rule}); neither ever makes a region export that did not.
 *
 * <p>{@code minExportingRegions}: a region that exports the Service stops only while at least that many regions still
 * export it; otherwise the regions that would withdraw keep exporting, those with the most ready endpoints first.
 *
 * <p>{@code maxWithdrawnRegions} (K): at most K regions withdrawn at once across the Services the policy's scope
 * covers ({@link MeshWithdrawals}). A region already withdrawn (for this Service or another) may be withdrawn for this
 * one too; a region not yet withdrawn only while fewer than K are, the fewest ready endpoints first, and regions this
 * decision brings back count until it is published (a swap takes two decisions, so the directives never pass through
 * more than K withdrawn). Already over K
 * (the policy lowered, two replicas deciding at once), no new region is withdrawn and none is made to export again:
 * the count falls as regions come back.
 */
final class SafetyRules {

    private static final Comparator<RegionPlan> MOST_READY_FIRST = Comparator.comparingInt(RegionPlan::ready)
            .reversed().thenComparing(RegionPlan::region);
    private static final Comparator<RegionPlan> FEWEST_READY_FIRST = Comparator.comparingInt(RegionPlan::ready)
            .thenComparing(RegionPlan::region);

    private SafetyRules() {
    }

    static void apply(Policy policy, List<RegionPlan> regions, MeshWithdrawals mesh) {
        keepExporting(policy, regions);
        limitWithdrawnRegions(policy, regions, mesh);
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
            block(region, SafetyRule.MIN_EXPORTING_REGIONS);
            exporting++;
        }
    }

    static void limitWithdrawnRegions(Policy policy, List<RegionPlan> regions, MeshWithdrawals mesh) {
        if (policy.maxWithdrawnRegions() == 0) {
            return;
        }
        // A region this decision brings back still counts: its export is published with, not before, a new withdrawal.
        Set<String> withdrawn = new HashSet<>(mesh.byOtherServices());
        withdrawn.addAll(mesh.byThisService());
        List<RegionPlan> newly = new ArrayList<>();
        for (RegionPlan region : regions) {
            if (!region.exporting && !region.hold && region.input.exportable() && withdrawsForItsState(region)
                    && !withdrawn.contains(region.region())) {
                newly.add(region);
            }
        }
        newly.sort(FEWEST_READY_FIRST);
        for (RegionPlan region : newly) {
            if (withdrawn.contains(region.region()) || withdrawn.size() < policy.maxWithdrawnRegions()) {
                withdrawn.add(region.region());
            } else {
                block(region, SafetyRule.MAX_WITHDRAWN_REGIONS);
            }
        }
    }

    /**
     * A withdrawal the rule counts: for the region's state (degraded, drained, waiting to fail back), not a healthy
     * region left out of the targets.
     */
    static boolean withdrawsForItsState(RegionPlan region) {
        return region.reason != Reason.LOCAL_HEALTHY;
    }

    private static void block(RegionPlan region, SafetyRule rule) {
        region.exporting = true;
        region.annotations = Reachability.exporting(region.annotations);
        region.reason = Reason.BLOCKED_BY_SAFETY_RULE;
        region.heldBy = rule;
    }

    /** Whether the region exported before this decision: as the previous decision said, or as its agent applied. */
    private static boolean exportedBefore(RegionPlan region) {
        return region.previous.map(RegionOutcome::exporting).orElse(false) || region.confirmedExport();
    }
}
