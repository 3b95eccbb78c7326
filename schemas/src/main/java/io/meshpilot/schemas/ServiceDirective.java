package io.meshpilot.schemas;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Desired owned annotations of one Service in one region. An owned annotation absent from {@link #annotations()}
 * is to be removed.
 *
 * @param state     how the engine judged the region ({@code healthy}, {@code degraded}, {@code drained},
 *                  {@code stale}); null from releases that did not say
 * @param since     since when the region has been in that state; null from releases that did not say
 * @param dependsOn the regions whose new export must be applied before this region withdraws its own (make before
 *                  break); empty when it depends on nobody
 */
public record ServiceDirective(
        String region,
        String namespace,
        String service,
        long version,
        Map<String, String> annotations,
        String reason,
        Instant decidedAt,
        String state,
        Instant since,
        List<String> dependsOn) implements MeshRecord {

    public ServiceDirective {
        annotations = CanonicalAnnotations.of(annotations);
        dependsOn = dependsOn == null || dependsOn.isEmpty() ? null : List.copyOf(dependsOn);
    }

    /** A directive that says nothing of the region's state and depends on nobody. */
    public ServiceDirective(String region, String namespace, String service, long version,
            Map<String, String> annotations, String reason, Instant decidedAt) {
        this(region, namespace, service, version, annotations, reason, decidedAt, null, null, null);
    }

    /** The regions it waits for (never null). */
    public List<String> awaiting() {
        return dependsOn == null ? List.of() : dependsOn;
    }

    public ServiceKey key() {
        return new ServiceKey(namespace, service);
    }
}
