package io.meshpilot.controlplane.world;

import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
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
 *
 * <p>Held compactly, since it grows with Services times regions: per Service one entry with its partition, its
 * regions (a sorted array shared by every Service in the same regions) and their records in the same order; no map
 * per Service, no map of partitions (measured with the load harness, docs/benchmarks.md).
 */
public final class WorldModel {

    /** Past this many distinct sets of regions, a Service's regions are no longer shared with others'. */
    private static final int SHARED_REGION_SETS = 4096;

    private final NavigableMap<ServiceKey, ServiceRecords> services = new TreeMap<>();
    private final Map<List<String>, String[]> regionSets = new HashMap<>();
    private final Set<String> regions = new TreeSet<>();
    private Consumer<ServiceKey> changeListener = service -> { };

    /** One Service: the partition of its key, its regions (sorted; shared, never changed in place) and their records. */
    private static final class ServiceRecords {
        private int partition;
        private String[] regions;
        private RegionRecords[] records;

        private ServiceRecords(int partition, String[] regions, RegionRecords[] records) {
            this.partition = partition;
            this.regions = regions;
            this.records = records;
        }

        private int indexOf(Object region) {
            return region instanceof String name ? Arrays.binarySearch(regions, name) : -1;
        }
    }

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

    /**
     * Records a region's health of a Service; null is a tombstone: the Service is gone from the region. Returns the
     * one key instance this model holds for the Service (the given one if it holds none), so that what else is kept
     * per Service shares it instead of each record's copy.
     */
    public ServiceKey health(ServiceKey service, String region, int partition, ServiceHealth health) {
        return update(service, region, partition, records -> records.withHealth(health));
    }

    public ServiceKey directive(ServiceKey service, String region, int partition, ServiceDirective directive) {
        return update(service, region, partition, records -> records.withDirective(directive));
    }

    public ServiceKey status(ServiceKey service, String region, int partition, DirectiveStatus status) {
        return update(service, region, partition, records -> records.withStatus(status));
    }

    private ServiceKey update(ServiceKey given, String region, int partition, UnaryOperator<RegionRecords> change) {
        addRegion(region);
        Map.Entry<ServiceKey, ServiceRecords> held = services.ceilingEntry(given);
        boolean known = held != null && held.getKey().equals(given);
        ServiceKey service = known ? held.getKey() : given;
        ServiceRecords entry = known ? held.getValue() : null;
        int index = entry == null ? -1 : entry.indexOf(region);
        RegionRecords changed = change.apply(index >= 0 ? entry.records[index] : RegionRecords.EMPTY);
        if (entry == null) {
            if (!changed.isEmpty()) {
                services.put(service, new ServiceRecords(partition, shared(new String[] {region}),
                        new RegionRecords[] {changed}));
            }
        } else {
            entry.partition = partition;
            if (index >= 0 && !changed.isEmpty()) {
                entry.records[index] = changed;
            } else if (index >= 0) {
                remove(service, entry, index);
            } else if (!changed.isEmpty()) {
                insert(entry, -index - 1, region, changed);
            }
        }
        changeListener.accept(service);
        return service;
    }

    private void insert(ServiceRecords entry, int at, String region, RegionRecords records) {
        int size = entry.regions.length;
        String[] regionsOf = new String[size + 1];
        RegionRecords[] recordsOf = new RegionRecords[size + 1];
        System.arraycopy(entry.regions, 0, regionsOf, 0, at);
        System.arraycopy(entry.records, 0, recordsOf, 0, at);
        regionsOf[at] = region;
        recordsOf[at] = records;
        System.arraycopy(entry.regions, at, regionsOf, at + 1, size - at);
        System.arraycopy(entry.records, at, recordsOf, at + 1, size - at);
        entry.regions = shared(regionsOf);
        entry.records = recordsOf;
    }

    private void remove(ServiceKey service, ServiceRecords entry, int at) {
        int size = entry.regions.length;
        if (size == 1) {
            services.remove(service);
            return;
        }
        String[] regionsOf = new String[size - 1];
        RegionRecords[] recordsOf = new RegionRecords[size - 1];
        System.arraycopy(entry.regions, 0, regionsOf, 0, at);
        System.arraycopy(entry.records, 0, recordsOf, 0, at);
        System.arraycopy(entry.regions, at + 1, regionsOf, at, size - at - 1);
        System.arraycopy(entry.records, at + 1, recordsOf, at, size - at - 1);
        entry.regions = shared(regionsOf);
        entry.records = recordsOf;
    }

    /** The one array of these regions that Services in the same regions share. */
    private String[] shared(String[] sortedRegions) {
        List<String> key = List.of(sortedRegions);
        String[] shared = regionSets.get(key);
        if (shared != null) {
            return shared;
        }
        if (regionSets.size() < SHARED_REGION_SETS) {
            regionSets.put(key, sortedRegions);
        }
        return sortedRegions;
    }

    /**
     * The Service's records per region, ordered by region; empty when nothing is known. A read-only view, valid until
     * the next change: use it on the event loop and do not keep it.
     */
    public Map<String, RegionRecords> service(ServiceKey service) {
        ServiceRecords entry = services.get(service);
        return entry == null ? Map.of() : new RegionsView(entry);
    }

    public Optional<Integer> partition(ServiceKey service) {
        ServiceRecords entry = services.get(service);
        return entry == null ? Optional.empty() : Optional.of(entry.partition);
    }

    /** Every known Service, ordered by namespace and name. */
    public List<ServiceKey> services() {
        return List.copyOf(services.keySet());
    }

    public List<ServiceKey> servicesInPartition(int partition) {
        return services.entrySet().stream().filter(entry -> entry.getValue().partition == partition)
                .map(Map.Entry::getKey).toList();
    }

    public List<ServiceKey> servicesInRegion(String region) {
        return services.entrySet().stream().filter(entry -> entry.getValue().indexOf(region) >= 0)
                .map(Map.Entry::getKey).toList();
    }

    public int size() {
        return services.size();
    }

    /** A Service's regions and records as a read-only map, in region order. */
    private static final class RegionsView extends AbstractMap<String, RegionRecords> {
        private final ServiceRecords entry;

        private RegionsView(ServiceRecords entry) {
            this.entry = entry;
        }

        @Override
        public RegionRecords get(Object region) {
            int index = entry.indexOf(region);
            return index >= 0 ? entry.records[index] : null;
        }

        @Override
        public boolean containsKey(Object region) {
            return entry.indexOf(region) >= 0;
        }

        @Override
        public int size() {
            return entry.regions.length;
        }

        @Override
        public Set<Map.Entry<String, RegionRecords>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<String, RegionRecords>> iterator() {
                    String[] regionsOf = entry.regions;
                    RegionRecords[] recordsOf = entry.records;
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < regionsOf.length;
                        }

                        @Override
                        public Map.Entry<String, RegionRecords> next() {
                            if (next >= regionsOf.length) {
                                throw new NoSuchElementException();
                            }
                            Map.Entry<String, RegionRecords> result = Map.entry(regionsOf[next], recordsOf[next]);
                            next++;
                            return result;
                        }
                    };
                }

                @Override
                public int size() {
                    return entry.regions.length;
                }
            };
        }
    }
}
