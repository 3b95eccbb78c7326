package io.meshpilot.core.decision;

import java.time.Instant;
import java.util.Optional;

/** Judges a region (healthy, degraded, drained, stale) against its expected capacity, and since when. */
final class Judgement {

    private Judgement() {
    }

    static RegionPlan judge(DecisionInput input, RegionInput region) {
        Policy policy = input.policy();
        Instant now = input.now();
        Optional<RegionOutcome> previous = input.previous().flatMap(decision -> decision.region(region.region()));
        boolean stale = region.stale(now, policy.staleAfter());
        int ready = region.endpoints().ready();
        int peak = ready;
        Instant peakAt = now;
        if (previous.isPresent()) {
            RegionOutcome last = previous.get();
            boolean expired = !last.capacitySince().plus(policy.capacityWindow()).isAfter(now);
            if (stale || (ready < last.capacity() && !expired)) {
                peak = last.capacity();
                peakAt = last.capacitySince();
            }
        }
        boolean meets = policy.healthy(region.endpoints(), peak);
        RegionState state;
        if (stale) {
            state = RegionState.STALE;
        } else if (policy.drain().contains(region.region())) {
            state = RegionState.DRAINED;
        } else {
            state = meets ? RegionState.HEALTHY : RegionState.DEGRADED;
        }
        boolean sameState = previous.isPresent() && previous.get().state() == state;
        RegionPlan plan = new RegionPlan(region, state, sameState ? previous.get().since() : now, peak, peakAt,
                previous, meets);
        if (!meets && !stale && policy.healthy(region.endpoints(), 0)) {
            plan.review(peakAt.plus(policy.capacityWindow()));
        }
        return plan;
    }

    /** Where a fresh region's clients want to go, before the targets are known; with the time to look again. */
    static void intend(Policy policy, RegionPlan region, Instant now, Optional<Instant> confirmingUntil) {
        switch (region.state) {
            case DRAINED -> region.decide(true, false, Reason.DRAINED);
            case DEGRADED -> {
                Instant due = region.since.plus(policy.failoverDelay());
                Optional<Instant> confirmed = confirmingUntil.filter(due::isBefore);
                if (region.wasAway() || (!due.isAfter(now) && confirmed.isEmpty())) {
                    region.decide(true, false, Reason.LOCAL_DEGRADED);
                } else if (confirmed.isPresent()) {
                    region.decide(false, false, Reason.CONFIRMING_MASS_DEGRADATION);
                    region.review(confirmed.get());
                } else {
                    region.decide(false, false, Reason.FAILOVER_PENDING);
                    region.review(due);
                }
            }
            case HEALTHY -> {
                Instant due = region.since.plus(policy.failbackDelay());
                if (region.wasAway() && due.isAfter(now)) {
                    region.decide(true, false, Reason.FAILBACK_PENDING);
                    region.review(due);
                } else {
                    region.decide(false, false, Reason.LOCAL_HEALTHY);
                }
            }
            case STALE -> throw new IllegalStateException("a stale region has no intent");
        }
    }
}
