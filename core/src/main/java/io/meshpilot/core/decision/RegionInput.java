package io.meshpilot.core.decision;

import io.meshpilot.core.health.EndpointTally;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine knows of one region for one Service: the endpoints its agent last reported (the Service exists
 * there), when the region's agent was last heard (empty: never), the owned annotations its agent last reported
 * applied (empty: none known), whether a directive that withdraws its export was published since and is not
 * applied yet, whether Cilium can export the Service from there (its
 * Namespace is global for ClusterMesh), and how long this region's Cilium keeps the backends of a cluster it cannot
 * reach ({@code clustermesh.cacheTTL}; empty: for ever, Cilium's default).
 */
public record RegionInput(String region, EndpointTally endpoints, Instant observedAt, Optional<Instant> lastHeard,
        Optional<Map<String, String>> applied, boolean withdrawalInFlight, boolean exportable,
        Optional<Duration> cacheTtl) {

    public RegionInput {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(lastHeard, "lastHeard");
        applied = applied.map(Map::copyOf);
        Objects.requireNonNull(cacheTtl, "cacheTtl");
    }

    /** A region whose applied annotations are unknown, that can export, whose backends Cilium keeps for ever. */
    public RegionInput(String region, EndpointTally endpoints, Instant observedAt, Optional<Instant> lastHeard) {
        this(region, endpoints, observedAt, lastHeard, Optional.empty(), false, true, Optional.empty());
    }

    /** This region, in a Namespace Cilium does not export. */
    public RegionInput withoutExport() {
        return new RegionInput(region, endpoints, observedAt, lastHeard, applied, withdrawalInFlight, false, cacheTtl);
    }

    /** Whether the region's data is unknown: its agent not heard within {@code staleAfter}. */
    public boolean stale(Instant now, Duration staleAfter) {
        return lastHeard.isEmpty() || lastHeard.get().plus(staleAfter).isBefore(now);
    }

    /**
     * When the {@code importer}'s Cilium forgets this region's backends, this region being unreachable since it was
     * last heard (never: empty).
     */
    public Optional<Instant> forgottenBy(RegionInput importer) {
        return importer.cacheTtl().map(this::forgottenAfter);
    }

    /** When a Cilium whose cache TTL is {@code ttl} forgets this region's backends. */
    public Instant forgottenAfter(Duration ttl) {
        return lastHeard.orElse(observedAt).plus(ttl);
    }
}
