package io.meshpilot.core.whatif;

import java.util.Locale;
import java.util.Objects;

/**
 * One hypothetical change to a region, for every Service that exists there.
 *
 * @param ready for {@link Kind#DEGRADED}: how many endpoints stay ready; 0 otherwise
 */
public record RegionChange(Kind kind, String region, int ready) {

    /** What happens to the region. */
    public enum Kind {
        /** Its Services lose every endpoint (ready 0), its agent still reporting: the engine sees it and fails over. */
        DOWN,
        /** Its Services keep only {@code ready} ready endpoints, the others not ready; its agent still reporting. */
        DEGRADED,
        /** A policy drain of the region is added to the policy of every Service there. */
        DRAINED,
        /** Its agent falls silent: it has not been heard for longer than the policy's {@code staleAfterSeconds}. */
        STALE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RegionChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(region, "region");
        if (ready < 0) {
            throw new IllegalArgumentException("ready must not be negative");
        }
        if (kind != Kind.DEGRADED && ready != 0) {
            throw new IllegalArgumentException("only a degraded region names how many endpoints stay ready");
        }
    }

    public static RegionChange down(String region) {
        return new RegionChange(Kind.DOWN, region, 0);
    }

    public static RegionChange degraded(String region, int ready) {
        return new RegionChange(Kind.DEGRADED, region, ready);
    }

    public static RegionChange drained(String region) {
        return new RegionChange(Kind.DRAINED, region, 0);
    }

    public static RegionChange stale(String region) {
        return new RegionChange(Kind.STALE, region, 0);
    }
}
