package io.meshpilot.core.decision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Chooses the regions that take failed-over traffic, then which of the regions that want their clients away can
 * send them there.
 *
 * <p>Targets are fresh regions that can export, in {@code failoverPriority} order, at most {@code maxFailoverRegions},
 * taken from the first of three tiers that has any: healthy regions at home; healthy regions waiting to fail back
 * (their clients come home early, as nowhere better exists); drained regions that meet the policy (the drain is
 * overridden). Stale regions are never targets; the clients already sent away stay away (see {@link #admit}).
 */
final class Targets {

    final List<RegionPlan> chosen;

    private Targets(List<RegionPlan> chosen) {
        this.chosen = chosen;
    }

    static Targets choose(Policy policy, List<RegionPlan> regions) {
        List<RegionPlan> chosen = tier(policy, regions, region -> region.state == RegionState.HEALTHY
                && region.reason == Reason.LOCAL_HEALTHY);
        if (chosen.isEmpty()) {
            chosen = tier(policy, regions, region -> region.state == RegionState.HEALTHY);
            chosen.forEach(region -> region.decide(false, true, Reason.LOCAL_HEALTHY));
        }
        if (chosen.isEmpty()) {
            chosen = tier(policy, regions, region -> region.state == RegionState.DRAINED && region.meetsPolicy);
            chosen.forEach(region -> region.decide(false, true, Reason.DRAIN_OVERRIDDEN));
        }
        chosen.forEach(region -> {
            region.target = true;
            region.decide(false, true, region.reason);
        });
        return new Targets(chosen);
    }

    private static List<RegionPlan> tier(Policy policy, List<RegionPlan> regions, Predicate<RegionPlan> eligible) {
        int limit = policy.maxFailoverRegions() == 0 ? Integer.MAX_VALUE : policy.maxFailoverRegions();
        List<RegionPlan> chosen = new ArrayList<>();
        for (RegionPlan region : byPriority(policy, regions)) {
            if (chosen.size() < limit && !region.stale() && region.input.exportable() && eligible.test(region)) {
                chosen.add(region);
            }
        }
        return chosen;
    }

    private static List<RegionPlan> byPriority(Policy policy, List<RegionPlan> regions) {
        if (policy.failoverPriority().isEmpty()) {
            return regions;
        }
        List<RegionPlan> ordered = new ArrayList<>();
        for (String candidate : policy.failoverPriority()) {
            for (RegionPlan region : regions) {
                if (region.region().equals(candidate)) {
                    ordered.add(region);
                }
            }
        }
        return ordered;
    }

    /**
     * Sends the clients of the regions that want to leave to the targets, as far as the targets' ready endpoints
     * cover their expected load times {@code capacityFactor}: drained regions first (a drain holds while any target
     * exists), then those already away, then the neediest. A region already away stays away while any target exists
     * (bounded churn: one failover, one failback); the capacity decides new failovers: a region goes if what is left of
     * the targets covers its load, or at least offers more ready endpoints than it has at home. A region that cannot
     * go stays home.
     * With no fresh target every fresh region exports (never make it worse) and keeps its clients where they are.
     */
    void admit(Policy policy, List<RegionPlan> regions) {
        boolean anyTarget = !chosen.isEmpty();
        List<RegionPlan> leaving = new ArrayList<>();
        for (RegionPlan region : regions) {
            if (!region.stale() && !region.target && region.away) {
                leaving.add(region);
            }
        }
        leaving.sort(Comparator.comparing((RegionPlan region) -> region.state != RegionState.DRAINED)
                .thenComparing(region -> !region.wasAway())
                .thenComparingInt(RegionPlan::active)
                .thenComparing(RegionPlan::region));
        double remaining = 0;
        for (RegionPlan target : chosen) {
            remaining += target.ready();
        }
        for (RegionPlan region : leaving) {
            double need = region.load() * policy.capacityFactor();
            if (region.state == RegionState.DRAINED) {
                if (anyTarget) {
                    remaining -= need;
                } else {
                    region.decide(false, true, Reason.DRAIN_OVERRIDDEN);
                }
            } else if (!anyTarget) {
                boolean stay = region.wasAway();
                region.decide(stay, true, Reason.NO_HEALTHY_TARGET);
            } else if (region.wasAway() || remaining >= need || remaining > region.ready()) {
                remaining -= need;
            } else {
                region.decide(false, false, Reason.INSUFFICIENT_CAPACITY);
            }
        }
        if (!anyTarget) {
            for (RegionPlan region : regions) {
                if (!region.stale() && !region.away && region.state != RegionState.DRAINED) {
                    region.decide(false, true, region.state == RegionState.HEALTHY ? region.reason
                            : Reason.NO_HEALTHY_TARGET);
                }
            }
        }
    }
}
