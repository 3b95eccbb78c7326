package io.meshpilot.core.decision;

import io.meshpilot.core.routing.Affinity;
import io.meshpilot.core.routing.CiliumServiceConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, per Service and region, whether traffic stays local or fails over (SPEC §5). A pure function of the policy,
 * the regions' health, the previous decision and the time: the same inputs always give the same decision.
 *
 * <p>In {@code auto} mode, per region: a stale region keeps its last directive; a drained region, or one degraded
 * for {@code failoverDelay}, sends its clients to the healthy targets and withdraws its backends; a region that was
 * away stays away until it has been healthy for {@code failbackDelay}. The targets are the healthy regions that are
 * neither away nor stale, in {@code failoverPriority} order, at most {@code maxFailoverRegions}: they export their
 * backends. With no target, every region stays local and keeps its backends shared: a global outage is never made
 * worse.
 */
public final class DecisionEngine {

    /** A region judged: its state now and since when, and what was decided for it last time. */
    private record Judged(RegionInput input, RegionState state, Instant since, Optional<RegionOutcome> previous) {

        String region() {
            return input.region();
        }
    }

    /** Where a region's clients should go, before the targets are known. */
    private record Intent(boolean away, Reason reason, Optional<Instant> reviewAt) {
    }

    private static final Comparator<RegionInput> BY_REGION = Comparator.comparing(RegionInput::region);

    public ServiceDecision decide(DecisionInput input) {
        List<RegionInput> inputs = new ArrayList<>(input.regions());
        inputs.sort(BY_REGION);
        List<Judged> regions = new ArrayList<>(inputs.size());
        boolean anyHealthy = false;
        for (RegionInput region : inputs) {
            Judged judged = judge(input, region);
            regions.add(judged);
            anyHealthy |= judged.state() == RegionState.HEALTHY;
        }
        if (input.policy().mode() != Mode.AUTO) {
            List<RegionOutcome> outcomes = new ArrayList<>(regions.size());
            for (Judged region : regions) {
                outcomes.add(pinned(input.policy(), region));
            }
            return new ServiceDecision(input.policy(), outcomes, !anyHealthy && !regions.isEmpty(), Optional.empty());
        }
        return auto(input, regions, anyHealthy);
    }

    private static Judged judge(DecisionInput input, RegionInput region) {
        Policy policy = input.policy();
        Optional<RegionOutcome> previous = input.previous().isPresent()
                ? input.previous().get().region(region.region()) : Optional.empty();
        RegionState state;
        if (region.stale(input.now(), policy.staleAfter())) {
            state = RegionState.STALE;
        } else if (policy.drain().contains(region.region())) {
            state = RegionState.DRAINED;
        } else {
            state = policy.healthy(region.endpoints()) ? RegionState.HEALTHY : RegionState.DEGRADED;
        }
        boolean sameState = previous.isPresent() && previous.get().state() == state;
        return new Judged(region, state, sameState ? previous.get().since() : input.now(), previous);
    }

    private static RegionOutcome pinned(Policy policy, Judged region) {
        if (policy.mode() == Mode.UNMANAGED) {
            return new RegionOutcome(region.region(), region.state(), region.since(), false, false, Map.of(),
                    Reason.UNMANAGED_BY_POLICY, false);
        }
        Affinity affinity = switch (policy.mode()) {
            case LOCAL -> Affinity.LOCAL;
            case REMOTE -> Affinity.REMOTE;
            default -> Affinity.BALANCED;
        };
        return new RegionOutcome(region.region(), region.state(), region.since(), affinity == Affinity.REMOTE, true,
                CiliumServiceConfig.global(true, affinity).annotations(), Reason.PINNED_BY_POLICY, false);
    }

    /** {@code intents} is parallel to {@code regions}: a stale region has none (null). */
    private static ServiceDecision auto(DecisionInput input, List<Judged> regions, boolean anyHealthy) {
        Policy policy = input.policy();
        List<Intent> intents = new ArrayList<>(regions.size());
        boolean anyAway = false;
        Instant reviewAt = null;
        for (Judged region : regions) {
            Intent intent = region.state() == RegionState.STALE ? null : intent(policy, region, input.now());
            intents.add(intent);
            if (intent != null) {
                anyAway |= intent.away();
                reviewAt = earliest(reviewAt, intent.reviewAt());
            }
        }
        Set<String> targets = targets(policy, regions, intents);
        boolean outage = targets.isEmpty();
        List<RegionOutcome> outcomes = new ArrayList<>(regions.size());
        for (int i = 0; i < regions.size(); i++) {
            Judged region = regions.get(i);
            if (region.state() == RegionState.STALE) {
                outcomes.add(stale(region));
            } else if (outage) {
                outcomes.add(stayHome(region, intents.get(i)));
            } else {
                outcomes.add(decided(region, intents.get(i), targets.contains(region.region())));
            }
        }
        boolean globalOutage = !regions.isEmpty() && !anyHealthy;
        return new ServiceDecision(policy, outcomes, globalOutage || (outage && anyAway),
                outage ? Optional.empty() : Optional.ofNullable(reviewAt));
    }

    private static Instant earliest(Instant current, Optional<Instant> candidate) {
        if (candidate.isEmpty()) {
            return current;
        }
        return current == null || candidate.get().isBefore(current) ? candidate.get() : current;
    }

    private static Intent intent(Policy policy, Judged region, Instant now) {
        boolean wasAway = region.previous().map(RegionOutcome::away).orElse(false);
        return switch (region.state()) {
            case DRAINED -> new Intent(true, Reason.DRAINED, Optional.empty());
            case DEGRADED -> {
                Instant due = region.since().plus(policy.failoverDelay());
                yield wasAway || !due.isAfter(now) ? new Intent(true, Reason.LOCAL_DEGRADED, Optional.empty())
                        : new Intent(false, Reason.FAILOVER_PENDING, Optional.of(due));
            }
            case HEALTHY -> {
                Instant due = region.since().plus(policy.failbackDelay());
                yield wasAway && due.isAfter(now) ? new Intent(true, Reason.FAILBACK_PENDING, Optional.of(due))
                        : new Intent(false, Reason.LOCAL_HEALTHY, Optional.empty());
            }
            case STALE -> throw new IllegalStateException("a stale region has no intent");
        };
    }

    /** The healthy regions, not away, in priority order, at most {@code maxFailoverRegions}. */
    private static Set<String> targets(Policy policy, List<Judged> regions, List<Intent> intents) {
        Set<String> targets = new LinkedHashSet<>();
        int limit = policy.maxFailoverRegions() == 0 ? Integer.MAX_VALUE : policy.maxFailoverRegions();
        if (policy.failoverPriority().isEmpty()) {
            for (int i = 0; i < regions.size() && targets.size() < limit; i++) {
                addIfEligible(targets, regions, intents, i);
            }
            return targets;
        }
        for (String candidate : policy.failoverPriority()) {
            for (int i = 0; i < regions.size() && targets.size() < limit; i++) {
                if (regions.get(i).region().equals(candidate)) {
                    addIfEligible(targets, regions, intents, i);
                }
            }
        }
        return targets;
    }

    private static void addIfEligible(Set<String> targets, List<Judged> regions, List<Intent> intents, int i) {
        if (regions.get(i).state() == RegionState.HEALTHY && !intents.get(i).away()) {
            targets.add(regions.get(i).region());
        }
    }

    /** Fail static: the last directive stays, and is not published again. */
    private static RegionOutcome stale(Judged region) {
        RegionOutcome last = region.previous().orElse(null);
        return new RegionOutcome(region.region(), RegionState.STALE, region.since(),
                last != null && last.away(), last != null && last.exporting(),
                last == null ? Map.of() : last.annotations(), Reason.REGION_STALE, true);
    }

    /** No healthy target: every region stays local and shares its backends, never worse than without meshpilot. */
    private static RegionOutcome stayHome(Judged region, Intent intent) {
        Reason reason = region.state() == RegionState.HEALTHY && intent.reason() == Reason.LOCAL_HEALTHY
                ? Reason.LOCAL_HEALTHY : Reason.NO_HEALTHY_TARGET;
        return new RegionOutcome(region.region(), region.state(), region.since(), false, true,
                CiliumServiceConfig.global(true, Affinity.LOCAL).annotations(), reason, false);
    }

    private static RegionOutcome decided(Judged region, Intent intent, boolean target) {
        Affinity affinity = intent.away() ? Affinity.REMOTE : Affinity.LOCAL;
        return new RegionOutcome(region.region(), region.state(), region.since(), intent.away(), target,
                CiliumServiceConfig.global(target, affinity).annotations(), intent.reason(), false);
    }
}
