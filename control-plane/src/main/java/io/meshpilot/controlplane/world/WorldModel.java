package io.meshpilot.controlplane.world;

import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What this replica knows of every Service in every region, as the region topics tell it: health, the directive in
 * force and the agent's status, and which partition the Service's key lives in (the same in every region's topics).
 * Every replica holds all of it, so any replica can answer the HTTP API. Confined to the event loop.
 */
public final class WorldModel {

    private final NavigableMap<ServiceKey, Map<String, RegionRecords>> services = new TreeMap<>();
    private final Map<ServiceKey, Integer> partitions = new HashMap<>();
    private final Set<String> regions = new TreeSet<>();
    private Consumer<ServiceKey> changeListener = service -> { };

    /** Also tells this listener (on the event loop, as the change happens) of every Service whose records change. */
    public void onChange(Consumer<ServiceKey> listener) {
        this.changeListener = listener;
    }

    /** A region is known once any of its topics is seen. */
    public boolean addRegion(String region) {
        return regions.add(region);
    }

    public Set<String> regions() {
        return Set.copyOf(regions);
    }

    /** Records a region's health of a Service; null is a tombstone: the Service is gone from the region. */
    public void health(ServiceKey service, String region, int partition, ServiceHealth health) {
        update(service, region, partition, records -> records.withHealth(health));
    }

    public void directive(ServiceKey service, String region, int partition, ServiceDirective directive) {
        update(service, region, partition, records -> records.withDirective(directive));
    }

    public void status(ServiceKey service, String region, int partition, DirectiveStatus status) {
        update(service, region, partition, records -> records.withStatus(status));
    }

    private void update(ServiceKey service, String region, int partition, UnaryOperator<RegionRecords> change) {
        addRegion(region);
        partitions.put(service, partition);
        Map<String, RegionRecords> byRegion = services.computeIfAbsent(service, key -> new TreeMap<>());
        RegionRecords changed = change.apply(byRegion.getOrDefault(region, RegionRecords.EMPTY));
        if (changed.isEmpty()) {
            byRegion.remove(region);
            if (byRegion.isEmpty()) {
                services.remove(service);
                partitions.remove(service);
            }
        } else {
            byRegion.put(region, changed);
        }
        changeListener.accept(service);
    }

    /**
     * The Service's records per region, ordered by region; empty when nothing is known. A read-only view, valid until
     * the next change: use it on the event loop and do not keep it.
     */
    public Map<String, RegionRecords> service(ServiceKey service) {
        Map<String, RegionRecords> regionsOf = services.get(service);
        return regionsOf == null ? Map.of() : Collections.unmodifiableMap(regionsOf);
    }

    public Optional<Integer> partition(ServiceKey service) {
        return Optional.ofNullable(partitions.get(service));
    }

    /** Every known Service, ordered by namespace and name. */
    public List<ServiceKey> services() {
        return List.copyOf(services.keySet());
    }

    public List<ServiceKey> servicesInPartition(int partition) {
        return partitions.entrySet().stream().filter(entry -> entry.getValue() == partition).map(Map.Entry::getKey)
                .sorted().toList();
    }

    public List<ServiceKey> servicesInRegion(String region) {
        return services.entrySet().stream().filter(entry -> entry.getValue().containsKey(region))
                .map(Map.Entry::getKey).toList();
    }

    public int size() {
        return services.size();
    }
}
