package io.meshpilot.core.decision;

import io.meshpilot.core.routing.Affinity;
import io.meshpilot.core.routing.CiliumServiceConfig;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One region while the engine decides: how it is judged, then where its clients go and whether it exports, filled
 * in step by step. Confined to one {@link DecisionEngine#decide} call.
 */
final class RegionPlan {

    final RegionInput input;
    final RegionState state;
    final Instant since;
    final int capacity;
    final Instant capacitySince;
    final Optional<RegionOutcome> previous;
    /** Whether the endpoints meet the policy, whatever the drain list and staleness say. */
    final boolean meetsPolicy;
    Optional<Instant> reviewAt = Optional.empty();
    boolean away;
    boolean exporting;
    boolean target;
    Reason reason;
    boolean hold;
    Set<String> awaiting = Set.of();
    /** The safety rule that held back its withdrawal, if one did. */
    SafetyRule heldBy;
    Map<String, String> annotations = Map.of();

    RegionPlan(RegionInput input, RegionState state, Instant since, int capacity, Instant capacitySince,
            Optional<RegionOutcome> previous, boolean meetsPolicy) {
        this.input = input;
        this.state = state;
        this.since = since;
        this.capacity = capacity;
        this.capacitySince = capacitySince;
        this.previous = previous;
        this.meetsPolicy = meetsPolicy;
    }

    String region() {
        return input.region();
    }

    boolean stale() {
        return state == RegionState.STALE;
    }

    boolean wasAway() {
        return previous.map(RegionOutcome::away).orElse(false);
    }


    /**
     * Whether its backends may be exported now: what its agent last applied exports, or nothing is known of it (the
     * Service may carry hand-written annotations). An export published but not applied yet is not counted: it is not
     * there, and a newer directive supersedes it.
     */
    boolean mayExport() {
        return input.applied().map(RegionPlan::exports).orElse(true);
    }

    /**
     * Whether its backends are surely exported: what its agent last applied exports, and no withdrawal is in flight
     * (exports published since only add to it).
     */
    boolean surelyExports() {
        return confirmedExport() && !input.withdrawalInFlight();
    }

    /** Whether the annotations its agent last reported applied export its backends. */
    boolean confirmedExport() {
        return input.applied().map(RegionPlan::exports).orElse(false);
    }

    /** Ready endpoints: what it can offer other regions' clients. */
    int ready() {
        return input.endpoints().ready();
    }

    /** Active endpoints: what its own clients can use. */
    int active() {
        return input.endpoints().active();
    }

    /** The load its clients bring, in endpoints: its expected capacity. */
    int load() {
        return Math.max(capacity, input.endpoints().total());
    }

    void review(Instant at) {
        if (reviewAt.isEmpty() || at.isBefore(reviewAt.get())) {
            reviewAt = Optional.of(at);
        }
    }

    void decide(boolean clientsAway, boolean exports, Reason why) {
        this.away = clientsAway;
        this.exporting = exports;
        this.reason = why;
        this.annotations = CiliumServiceConfig.global(exports, clientsAway ? Affinity.REMOTE : Affinity.LOCAL)
                .annotations();
    }

    RegionOutcome outcome() {
        return new RegionOutcome(region(), state, since, away, exporting, annotations, reason, hold, capacity,
                capacitySince, awaiting,
                Optional.ofNullable(heldBy));
    }

    static boolean exports(Map<String, String> annotations) {
        return CiliumServiceConfig.fromAnnotations(annotations).map(config -> config.global() && config.shared())
                .orElse(false);
    }
}
