package io.meshpilot.agent.health;

import io.meshpilot.core.health.Endpoint;
import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.schemas.ServiceKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The managed Services of this region and the endpoints of every EndpointSlice, as the informers last reported
 * them: one entry per Service, its slices in a small array (a Service has one slice, two when dual-stack), since
 * the agent keeps this for every Service it watches. Confined to the agent's event loop: not thread-safe.
 */
final class ServiceInventory {

    private static final Object[] NO_SLICES = new Object[0];

    /** Whether the Service is managed, and its slices as name, endpoints, name, endpoints ... (packed). */
    private static final class Entry {
        final ServiceKey key;
        boolean managed;
        Object[] slices = NO_SLICES;

        Entry(ServiceKey key) {
            this.key = key;
        }

        int indexOf(String slice) {
            for (int i = 0; i < slices.length; i += 2) {
                if (slices[i].equals(slice)) {
                    return i;
                }
            }
            return -1;
        }

        boolean empty() {
            return !managed && slices.length == 0;
        }
    }

    private final Map<ServiceKey, Entry> services = new HashMap<>();
    private int managedCount;

    boolean isManaged(ServiceKey service) {
        Entry entry = services.get(service);
        return entry != null && entry.managed;
    }

    Set<ServiceKey> managedServices() {
        return services.entrySet().stream().filter(entry -> entry.getValue().managed).map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The key instance kept for the Service, or {@code service} when it has none. */
    ServiceKey key(ServiceKey service) {
        Entry entry = services.get(service);
        return entry == null ? service : entry.key;
    }

    /** How many Services are managed, without copying them. */
    int managedCount() {
        return managedCount;
    }

    /** Returns whether the Service was not managed before. */
    boolean manage(ServiceKey service) {
        Entry entry = services.computeIfAbsent(service, Entry::new);
        if (entry.managed) {
            return false;
        }
        entry.managed = true;
        managedCount++;
        return true;
    }

    /** Returns whether the Service was managed before. */
    boolean release(ServiceKey service) {
        Entry entry = services.get(service);
        if (entry == null || !entry.managed) {
            return false;
        }
        entry.managed = false;
        managedCount--;
        forgetIfEmpty(service, entry);
        return true;
    }

    void putSlice(ServiceKey service, String sliceName, List<Endpoint> endpoints) {
        Entry entry = services.computeIfAbsent(service, Entry::new);
        int index = entry.indexOf(sliceName);
        if (index < 0) {
            index = entry.slices.length;
            entry.slices = Arrays.copyOf(entry.slices, index + 2);
            entry.slices[index] = sliceName;
        }
        entry.slices[index + 1] = PackedEndpoints.pack(endpoints);
    }

    void removeSlice(ServiceKey service, String sliceName) {
        Entry entry = services.get(service);
        if (entry == null) {
            return;
        }
        int index = entry.indexOf(sliceName);
        if (index >= 0) {
            Object[] rest = new Object[entry.slices.length - 2];
            System.arraycopy(entry.slices, 0, rest, 0, index);
            System.arraycopy(entry.slices, index + 2, rest, index, rest.length - index);
            entry.slices = rest.length == 0 ? NO_SLICES : rest;
            forgetIfEmpty(service, entry);
        }
    }

    /**
     * The Service a slice of this namespace was counted for, looked up by its name (for a slice whose labels are
     * unknown: one a re-list found gone); a scan, as it is rare.
     */
    Optional<ServiceKey> serviceOfSlice(String namespace, String sliceName) {
        return services.entrySet().stream()
                .filter(entry -> entry.getKey().namespace().equals(namespace)
                        && entry.getValue().indexOf(sliceName) >= 0)
                .map(Map.Entry::getKey).findFirst();
    }

    /** The Service's endpoints over all its slices, each pod once. */
    EndpointTally tally(ServiceKey service) {
        Entry entry = services.get(service);
        List<Endpoint> endpoints = new ArrayList<>();
        if (entry != null) {
            for (int i = 1; i < entry.slices.length; i += 2) {
                PackedEndpoints.unpack((long[]) entry.slices[i], endpoints);
            }
        }
        return EndpointTally.count(endpoints);
    }

    /** Forgets everything (the informers list again from scratch). */
    void clear() {
        services.clear();
        managedCount = 0;
    }

    private void forgetIfEmpty(ServiceKey service, Entry entry) {
        if (entry.empty()) {
            services.remove(service);
        }
    }
}
