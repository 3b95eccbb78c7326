package io.meshpilot.schemas;

import java.time.Instant;
import java.util.Map;

/**
 * Desired owned annotations of one Service in one region. An owned annotation absent from {@link #annotations()}
 * is to be removed.
 */
public record ServiceDirective(
        String region,
        String namespace,
        String service,
        long version,
        Map<String, String> annotations,
        String reason,
        Instant decidedAt) implements MeshRecord {

    public ServiceDirective {
        annotations = Map.copyOf(annotations);
    }

    public ServiceKey key() {
        return new ServiceKey(namespace, service);
    }
}
