package io.meshpilot.core.decision;

import io.meshpilot.core.routing.Affinity;
import io.meshpilot.core.routing.CiliumServiceConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, per Service and region, whether traffic stays local or fails over (SPEC §5), keeping the failover
 * invariants of SPEC §5b by construction. A pure function of the policy, the regions' health, the previous decision
 * and the time: the same inputs always give the same decision.
 *
 * <p>In {@code auto} mode: each region is judged against its expected capacity ({@link Judgement}); the targets are
 * chosen and the regions that want their clients away are sent to them as far as the targets' capacity goes
 * ({@link Targets}); a stale region keeps its last directive; where the planned exports would leave any region's
 * clients with nothing, a region exports as a last resort ({@link NoBlackhole}); and a withdrawal waits until the
 * exports that replace it are applied ({@link MakeBeforeBreak}). Every wait names its review time.
 */
public final class DecisionEngine {

    private static final Comparator<RegionInput> BY_REGION = Comparator.comparing(RegionInput::region);

    public ServiceDecision decide(DecisionInput input) {
        List<RegionInput> inputs = new ArrayList<>(input.regions());
        inputs.sort(BY_REGION);
        List<RegionPlan> regions = new ArrayList<>(inputs.size());
        for (RegionInput region : inputs) {
            regions.add(Judgement.judge(input, region));
        }
        if (input.policy().mode() != Mode.AUTO) {
            return pinned(input.policy(), regions);
        }
        return auto(input, regions);
    }

    private static ServiceDecision pinned(Policy policy, List<RegionPlan> regions) {
        List<RegionOutcome> outcomes = new ArrayList<>(regions.size());
        boolean anyHealthy = false;
        for (RegionPlan region : regions) {
            anyHealthy |= region.state == RegionState.HEALTHY;
            if (policy.mode() == Mode.UNMANAGED) {
                region.reason = Reason.UNMANAGED_BY_POLICY;
            } else {
                Affinity affinity = switch (policy.mode()) {
                    case LOCAL -> Affinity.LOCAL;
                    case REMOTE -> Affinity.REMOTE;
                    default -> Affinity.BALANCED;
                };
                region.away = affinity == Affinity.REMOTE;
                region.exporting = true;
                region.annotations = CiliumServiceConfig.global(true, affinity).annotations();
                region.reason = Reason.PINNED_BY_POLICY;
            }
            outcomes.add(region.outcome());
        }
        return new ServiceDecision(policy, outcomes, !anyHealthy && !regions.isEmpty(), Optional.empty());
    }

    private static ServiceDecision auto(DecisionInput input, List<RegionPlan> regions) {
        Policy policy = input.policy();
        Instant now = input.now();
        Map<Duration, Integer> cacheTtls = null; // counted only once a region is held: most decisions hold none
        for (RegionPlan region : regions) {
            if (region.stale()) {
                cacheTtls = cacheTtls == null ? cacheTtls(regions) : cacheTtls;
                hold(region, cacheTtls, now);
            } else {
                Judgement.intend(policy, region, now, input.confirmingUntil(region.region()));
            }
        }
        Targets targets = Targets.choose(policy, regions);
        targets.admit(policy, regions);
        Reachability model = new Reachability(regions, now);
        NoBlackhole.repair(regions, model);
        MakeBeforeBreak.supersedeHeldWithdrawals(regions, model);
        SafetyRules.apply(policy, regions, input.withdrawals());
        MakeBeforeBreak.sequence(regions, model);
        List<RegionOutcome> outcomes = new ArrayList<>(regions.size());
        Optional<Instant> reviewAt = Optional.empty();
        for (RegionPlan region : regions) {
            outcomes.add(region.outcome());
            reviewAt = earliest(reviewAt, region.reviewAt);
        }
        return new ServiceDecision(policy, outcomes, targets.chosen.isEmpty(), reviewAt);
    }

    /**
     * Fail static: the last directive stays and is not published again; the others' Cilium forgets its backends after
     * their cache TTL, when the decision is reviewed.
     */
    private static void hold(RegionPlan region, Map<Duration, Integer> cacheTtls, Instant now) {
        Optional<RegionOutcome> last = region.previous;
        region.hold = true;
        region.reason = Reason.REGION_STALE;
        region.away = last.map(RegionOutcome::away).orElse(false);
        region.annotations = last.map(RegionOutcome::annotations).orElse(Map.of());
        region.exporting = RegionPlan.exports(region.annotations);
        if (region.exporting && region.input.endpoints().exported() > 0) {
            Optional<Duration> own = region.input.cacheTtl();
            cacheTtls.forEach((ttl, regionsWithIt) -> {
                Instant forgotten = region.input.forgottenAfter(ttl);
                if ((regionsWithIt > 1 || !own.equals(Optional.of(ttl))) && now.isBefore(forgotten)) {
                    region.review(forgotten);
                }
            });
        }
    }

    /**
     * How many regions have each cache TTL: a held region is reviewed when the first other region's Cilium forgets
     * it, found from the few distinct TTLs rather than from every other region (255 stale regions held 255 times 255).
     */
    private static Map<Duration, Integer> cacheTtls(List<RegionPlan> regions) {
        Map<Duration, Integer> counts = new HashMap<>();
        for (RegionPlan region : regions) {
            region.input.cacheTtl().ifPresent(ttl -> counts.merge(ttl, 1, Integer::sum));
        }
        return counts;
    }

    private static Optional<Instant> earliest(Optional<Instant> current, Optional<Instant> candidate) {
        if (candidate.isEmpty()) {
            return current;
        }
        return current.isEmpty() || candidate.get().isBefore(current.get()) ? candidate : current;
    }
}
