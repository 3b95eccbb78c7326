package io.meshpilot.benchmarks.load;

import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What the harness measures, from the regions' reports: the latency of each expected change (from the health change
 * to the annotation applied in that region), and, during an outage, when each Service's directive arrived and when it
 * was applied. Waits are on this monitor, woken by every report.
 */
final class Probe implements RegionListener {

    private record Expected(String affinity, long since) {
    }

    private final Map<String, Expected> expected = new HashMap<>();
    private final List<Long> latencies = new ArrayList<>();
    private String outageRegion;
    private long outageStart;
    private final Map<ServiceKey, Long> outagePublished = new HashMap<>();
    private final Map<ServiceKey, Long> outageApplied = new HashMap<>();
    private int superseded;

    /** The region's Service must end with this affinity; the latency counts from {@code sinceNanos}. */
    synchronized void expect(String region, ServiceKey service, String affinity, long sinceNanos) {
        if (expected.put(region + "/" + service, new Expected(affinity, sinceNanos)) != null) {
            superseded++;
        }
    }

    synchronized void startOutage(String region, long startNanos) {
        outageRegion = region;
        outageStart = startNanos;
        outagePublished.clear();
        outageApplied.clear();
    }

    @Override
    public synchronized void received(String region, ServiceKey service, String affinity, long nanos) {
        if (region.equals(outageRegion) && affinity.equals("remote")) {
            outagePublished.putIfAbsent(service, nanos - outageStart);
        }
        notifyAll();
    }

    @Override
    public synchronized void applied(String region, ServiceKey service, String affinity, long nanos) {
        String key = region + "/" + service;
        Expected wanted = expected.get(key);
        if (wanted != null && wanted.affinity().equals(affinity)) {
            latencies.add(nanos - wanted.since());
            expected.remove(key);
        }
        if (region.equals(outageRegion) && affinity.equals("remote")) {
            outageApplied.putIfAbsent(service, nanos - outageStart);
        }
        notifyAll();
    }

    /** Waits until the condition holds; false when the time ran out first. */
    synchronized boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    synchronized boolean isPending(String region, ServiceKey service) {
        return expected.containsKey(region + "/" + service);
    }

    synchronized int pending() {
        return expected.size();
    }

    synchronized int superseded() {
        return superseded;
    }

    synchronized void clearLatencies() {
        latencies.clear();
        expected.clear();
        superseded = 0;
    }

    synchronized List<Long> latencies() {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return sorted;
    }

    synchronized int outageApplied() {
        return outageApplied.size();
    }

    synchronized List<Long> outagePublishedTimes() {
        return sorted(outagePublished);
    }

    synchronized List<Long> outageAppliedTimes() {
        return sorted(outageApplied);
    }

    private static List<Long> sorted(Map<ServiceKey, Long> times) {
        List<Long> sorted = new ArrayList<>(times.values());
        Collections.sort(sorted);
        return sorted;
    }
}
