package io.meshpilot.agent.health;

import io.meshpilot.core.health.Endpoint;
import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.schemas.ServiceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The managed Services of this region and the endpoints of every EndpointSlice, as the informers last reported
 * them. Confined to the agent's event loop: not thread-safe.
 */
final class ServiceInventory {

    private final Set<ServiceKey> managed = new HashSet<>();
    private final Map<ServiceKey, Map<String, List<Endpoint>>> slicesByService = new HashMap<>();

    boolean isManaged(ServiceKey service) {
        return managed.contains(service);
    }

    Set<ServiceKey> managedServices() {
        return Set.copyOf(managed);
    }

    /** How many Services are managed, without copying them. */
    int managedCount() {
        return managed.size();
    }

    /** Forgets everything (the informers list again from scratch). */
    void clear() {
        managed.clear();
        slicesByService.clear();
    }

    /** Returns whether the Service was not managed before. */
    boolean manage(ServiceKey service) {
        return managed.add(service);
    }

    /** Returns whether the Service was managed before. */
    boolean release(ServiceKey service) {
        return managed.remove(service);
    }

    void putSlice(ServiceKey service, String sliceName, List<Endpoint> endpoints) {
        slicesByService.computeIfAbsent(service, key -> new HashMap<>()).put(sliceName, List.copyOf(endpoints));
    }

    void removeSlice(ServiceKey service, String sliceName) {
        Map<String, List<Endpoint>> slices = slicesByService.get(service);
        if (slices != null) {
            slices.remove(sliceName);
            if (slices.isEmpty()) {
                slicesByService.remove(service);
            }
        }
    }

    /**
     * The Service a slice of this namespace was counted for, looked up by its name (for a slice whose labels are
     * unknown: one a re-list found gone); a scan, as it is rare.
     */
    Optional<ServiceKey> serviceOfSlice(String namespace, String sliceName) {
        return slicesByService.entrySet().stream()
                .filter(entry -> entry.getKey().namespace().equals(namespace)
                        && entry.getValue().containsKey(sliceName))
                .map(Map.Entry::getKey).findFirst();
    }

    /** The Service's endpoints over all its slices, each pod once. */
    EndpointTally tally(ServiceKey service) {
        List<Endpoint> endpoints = new ArrayList<>();
        slicesByService.getOrDefault(service, Map.of()).values().forEach(endpoints::addAll);
        return EndpointTally.count(endpoints);
    }
}
