package io.meshpilot.benchmarks.endtoend;

import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What the harness waits for, told by the regions' watches: each expected affinity (its latency counts from the
 * EndpointSlice change), and during an outage when each Service of the region was seen failed over. Waits are on
 * this monitor, woken by every report.
 */
final class Expectations implements LoadedRegion.AppliedListener {

    private record Expected(String affinity, long since) {
    }

    private final Map<String, Expected> expected = new HashMap<>();
    private final List<Long> latencies = new ArrayList<>();
    private final Map<ServiceKey, Long> outageApplied = new HashMap<>();
    private String outageRegion;
    private long outageStart;

    synchronized void expect(String region, ServiceKey service, String affinity, long sinceNanos) {
        expected.put(region + "/" + service, new Expected(affinity, sinceNanos));
    }

    synchronized void startOutage(String region, long startNanos) {
        outageRegion = region;
        outageStart = startNanos;
        outageApplied.clear();
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
                wait(Math.max(1, Math.min(100, left / 1_000_000)));
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

    synchronized void clearLatencies() {
        latencies.clear();
        expected.clear();
    }

    synchronized List<Long> latencies() {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return sorted;
    }

    synchronized int outageApplied() {
        return outageApplied.size();
    }

    synchronized List<Long> outageAppliedTimes() {
        List<Long> sorted = new ArrayList<>(outageApplied.values());
        Collections.sort(sorted);
        return sorted;
    }
}
