package io.meshpilot.core.decision;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A directive as it stands on a region's directives topic, for rebuilding the previous decision after a hand-over.
 *
 * @param state what the engine judged the region when it decided (empty: from a release that did not say; the reason
 *              tells)
 * @param since since when the region was in that state (empty: when it was decided)
 */
public record PublishedDirective(String region, Map<String, String> annotations, String reason,
        Optional<RegionState> state, Optional<Instant> since, Instant decidedAt) {

    public PublishedDirective {
        annotations = Map.copyOf(annotations);
    }
}
