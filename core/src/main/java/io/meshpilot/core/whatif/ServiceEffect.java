package io.meshpilot.core.whatif;

import java.time.Instant;
import java.util.List;

/**
 * What the hypothesis does to one Service: per region before and after, whether it is a global outage before and
 * after, the policy scopes used, and when the decisions after it settle (every delay elapsed, every directive
 * applied); {@code settled} is false if they still changed after {@link WhatIf#MAX_ROUNDS} rounds.
 */
public record ServiceEffect(String service, String policyBefore, String policyAfter, List<RegionEffect> regions,
        boolean globalOutageBefore, boolean globalOutageAfter, Instant settledAt, boolean settled) {

    public ServiceEffect {
        regions = List.copyOf(regions);
    }

    public boolean changes() {
        return globalOutageBefore != globalOutageAfter || regions.stream().anyMatch(RegionEffect::changes);
    }

    /** The regions whose clients reach nothing after the hypothesis. */
    public List<String> blackholedAfter() {
        return regions.stream().filter(region -> region.after().blackholed()).map(RegionEffect::region).toList();
    }
}
