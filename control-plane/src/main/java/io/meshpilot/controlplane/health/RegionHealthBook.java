package io.meshpilot.controlplane.health;

import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The latest health of every Service in every region, as the agents published it. Confined to the control plane's
 * event loop: not thread-safe.
 */
public final class RegionHealthBook {

    private final Map<ServiceKey, Map<String, ServiceHealth>> byService = new HashMap<>();

    public void put(ServiceHealth health) {
        byService.computeIfAbsent(health.key(), key -> new TreeMap<>()).put(health.region(), health);
    }

    /** Forgets a region's health of a Service (its agent published a tombstone). */
    public void remove(ServiceKey service, String region) {
        Map<String, ServiceHealth> regions = byService.get(service);
        if (regions != null) {
            regions.remove(region);
            if (regions.isEmpty()) {
                byService.remove(service);
            }
        }
    }

    /** Every region's latest health of a Service, ordered by region. */
    public List<ServiceHealth> regions(ServiceKey service) {
        return List.copyOf(byService.getOrDefault(service, Map.of()).values());
    }
}
