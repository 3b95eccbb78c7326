package io.meshpilot.benchmarks.load;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The figures of one system at one size. Times in seconds unless named otherwise; NaN where a system does not have
 * the figure (the baseline reads no Kafka, so it has no record throughput nor resync, and its heap is not measured).
 * {@code resyncSeconds}: from the control plane's start until it has read every Service's health in every region
 * from the topics (what a restart or a hand-over reads).
 */
record Result(String system, int services, int regions, double initialConvergence, double recordsPerSecond,
        double latencyP50Millis, double latencyP99Millis, double latencyMaxMillis, double decidingMeanMillis,
        int latencySamples, int latencyUnresolved, double outagePublished, double outageApplied,
        double controlPlaneHeapBytes, double resyncSeconds,
        List<Long> latencies, List<Long> outagePublishedTimes, List<Long> outageAppliedTimes) {

    Result withControlPlaneHeap(double bytes) {
        return new Result(system, services, regions, initialConvergence, recordsPerSecond, latencyP50Millis,
                latencyP99Millis, latencyMaxMillis, decidingMeanMillis, latencySamples, latencyUnresolved,
                outagePublished, outageApplied, bytes, resyncSeconds, latencies, outagePublishedTimes,
                outageAppliedTimes);
    }

    /** The control plane's heap over its Service-regions: fixed costs included, so an upper bound. */
    double heapBytesPerServiceRegion() {
        return controlPlaneHeapBytes / ((double) services * regions);
    }

    /**
     * What one more Service-region costs the control plane: the heap difference between two sizes (the fixed costs
     * cancel out), or NaN when the heap was not measured.
     */
    static double marginalHeapBytes(Result smaller, Result larger) {
        return (larger.controlPlaneHeapBytes - smaller.controlPlaneHeapBytes)
                / ((double) (larger.services - smaller.services) * larger.regions);
    }

    /** The smallest and the largest size whose heap was measured, if there are two. */
    static Optional<List<Result>> heapExtremes(List<Result> results) {
        List<Result> measured = results.stream().filter(result -> !Double.isNaN(result.controlPlaneHeapBytes()))
                .sorted(Comparator.comparingInt(Result::services)).toList();
        return measured.size() < 2 || measured.get(0).services() == measured.get(measured.size() - 1).services()
                ? Optional.empty() : Optional.of(List.of(measured.get(0), measured.get(measured.size() - 1)));
    }

    static double percentile(List<Long> sortedNanos, double fraction) {
        if (sortedNanos.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(fraction * sortedNanos.size()) - 1;
        return sortedNanos.get(Math.max(0, Math.min(sortedNanos.size() - 1, index))) / 1e6;
    }

    static double lastSeconds(List<Long> sortedNanos) {
        return sortedNanos.isEmpty() ? Double.NaN : sortedNanos.get(sortedNanos.size() - 1) / 1e9;
    }
}
