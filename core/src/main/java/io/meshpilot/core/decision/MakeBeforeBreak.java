package io.meshpilot.core.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * SPEC §5b invariant 2: applying one decision's directives region by region, in any order, never blackholes a
 * region's clients. Exports only help (reachability grows with them, whatever the affinities), so a decision's new
 * exports go out at once; a region whose export the decision withdraws keeps exporting ({@code awaiting} names the
 * regions it waits for) while withdrawing would leave some region's clients with nothing that surely exports: an
 * export counts only once its agent reported it applied and no withdrawal of it is in flight, so a stale region is
 * never relied on to export, nor to withdraw. A region whose agent has not confirmed its directive may still export
 * (a withdrawal published earlier, when it was safe, may not be applied yet), so it counts as withdrawing: if that is
 * no longer safe it is told to export again, superseding the withdrawal in flight; so is a stale region whose held
 * withdrawal its agent never applied ({@link #supersedeHeldWithdrawals}).
 */
final class MakeBeforeBreak {

    private MakeBeforeBreak() {
    }

    /**
     * A stale region's last directive is held, but a withdrawal in it that its agent never applied still lands when
     * the agent is heard again, maybe before the exports that replace it. While that would leave some region's
     * clients with nothing that surely exports, the region is told to export again (awaiting nothing: it is decided
     * afresh once heard). Done before the safety rules count the exporting regions, so that the next decision, which
     * holds that export, counts the same.
     */
    static void supersedeHeldWithdrawals(List<RegionPlan> regions, Reachability model) {
        List<RegionPlan> held = new ArrayList<>();
        for (RegionPlan region : regions) {
            if (region.hold && !region.exporting && region.input.withdrawalInFlight() && region.mayExport()) {
                held.add(region);
            }
        }
        if (held.isEmpty() || safe(regions, held, model)) {
            return;
        }
        for (RegionPlan region : held) {
            region.hold = false;
            region.exporting = true;
            region.annotations = Reachability.exporting(region.annotations);
        }
    }

    static void sequence(List<RegionPlan> regions, Reachability model) {
        List<RegionPlan> withdrawing = new ArrayList<>();
        Set<String> making = new TreeSet<>();
        for (RegionPlan region : regions) {
            if (!region.exporting && !region.hold && region.mayExport()) {
                withdrawing.add(region);
            } else if (region.exporting && !region.surelyExports()) {
                making.add(region.region());
            }
        }
        if (withdrawing.isEmpty() || safe(regions, withdrawing, model)) {
            return;
        }
        for (RegionPlan region : withdrawing) {
            Set<String> awaited = new TreeSet<>(making);
            awaited.remove(region.region());
            region.exporting = true;
            region.annotations = Reachability.exporting(region.annotations);
            region.awaiting = awaited;
        }
    }

    /**
     * Whether every region whose clients the decision means to reach a backend still reaches one through the exports
     * that are sure, once every withdrawal is applied.
     */
    private static boolean safe(List<RegionPlan> regions, List<RegionPlan> withdrawing, Reachability model) {
        for (RegionPlan from : regions) {
            if (model.reaches(from, region -> region.exporting)
                    && !model.reaches(from, region -> !withdrawing.contains(region) && region.surelyExports())) {
                return false;
            }
        }
        return true;
    }
}
