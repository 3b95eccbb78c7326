package io.meshpilot.core.routing;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Each region's Cilium {@code clustermesh.cacheTTL} (1.19+): how long that region's Cilium keeps an unreachable
 * cluster's last-known backends before revoking them. A region not listed keeps them for ever ({@link Duration#ZERO},
 * Cilium's default). The model revokes a stale region's backends for an importing region after that region's TTL.
 */
public record CacheTtls(Map<String, Duration> byRegion) {

    public static final CacheTtls NEVER = new CacheTtls(Map.of());

    public CacheTtls {
        byRegion = Map.copyOf(byRegion);
        byRegion.forEach((region, ttl) -> {
            Objects.requireNonNull(ttl, region);
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("the cache TTL of " + region + " cannot be negative: " + ttl);
            }
        });
    }

    /** The TTL of the importing region's Cilium; zero: never revoked. */
    public Duration of(String region) {
        return byRegion.getOrDefault(region, Duration.ZERO);
    }
}
