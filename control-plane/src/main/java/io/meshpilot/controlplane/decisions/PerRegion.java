package io.meshpilot.controlplane.decisions;

import java.util.Arrays;

/**
 * A value per region for one Service, in two sorted parallel arrays: what the decision loop keeps per Service and
 * region costs a slot each instead of a map per Service with a node per region (docs/benchmarks.md, the heap per
 * Service-region). Not thread-safe; confined to the event loop like the loop itself.
 */
final class PerRegion<V> {

    private static final String[] NO_REGIONS = new String[0];
    private static final Object[] NO_VALUES = new Object[0];

    private String[] regions = NO_REGIONS;
    private Object[] values = NO_VALUES;

    @SuppressWarnings("unchecked")
    V get(String region) {
        int at = Arrays.binarySearch(regions, region);
        return at >= 0 ? (V) values[at] : null;
    }

    void put(String region, V value) {
        int at = Arrays.binarySearch(regions, region);
        if (at >= 0) {
            values[at] = value;
            return;
        }
        int insert = -at - 1;
        int size = regions.length;
        String[] grownRegions = new String[size + 1];
        Object[] grownValues = new Object[size + 1];
        System.arraycopy(regions, 0, grownRegions, 0, insert);
        System.arraycopy(values, 0, grownValues, 0, insert);
        grownRegions[insert] = region;
        grownValues[insert] = value;
        System.arraycopy(regions, insert, grownRegions, insert + 1, size - insert);
        System.arraycopy(values, insert, grownValues, insert + 1, size - insert);
        regions = grownRegions;
        values = grownValues;
    }

    /** Removes the region's value if it is this one (equal); whether it was. */
    boolean remove(String region, V value) {
        int at = Arrays.binarySearch(regions, region);
        if (at < 0 || !java.util.Objects.equals(values[at], value)) {
            return false;
        }
        int size = regions.length;
        String[] shrunkRegions = new String[size - 1];
        Object[] shrunkValues = new Object[size - 1];
        System.arraycopy(regions, 0, shrunkRegions, 0, at);
        System.arraycopy(values, 0, shrunkValues, 0, at);
        System.arraycopy(regions, at + 1, shrunkRegions, at, size - at - 1);
        System.arraycopy(values, at + 1, shrunkValues, at, size - at - 1);
        regions = shrunkRegions;
        values = shrunkValues;
        return true;
    }

    boolean isEmpty() {
        return regions.length == 0;
    }
}
