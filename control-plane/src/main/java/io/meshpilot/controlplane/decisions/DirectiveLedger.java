package io.meshpilot.controlplane.decisions;

import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The directives published so far, per Service and region, and each Service's directive version, which only grows.
 * Confined to the control plane's event loop: not thread-safe.
 */
final class DirectiveLedger {

    private final Map<ServiceKey, Map<String, ServiceDirective>> published = new HashMap<>();
    private final Map<ServiceKey, Long> versions = new HashMap<>();

    Optional<ServiceDirective> current(ServiceKey service, String region) {
        return Optional.ofNullable(published.getOrDefault(service, Map.of()).get(region));
    }

    /** The version for the Service's next directives: above every version it has had. */
    long nextVersion(ServiceKey service) {
        return versions.getOrDefault(service, 0L) + 1;
    }

    void record(ServiceDirective directive) {
        published.computeIfAbsent(directive.key(), key -> new HashMap<>()).put(directive.region(), directive);
        versions.merge(directive.key(), directive.version(), Math::max);
    }
}
