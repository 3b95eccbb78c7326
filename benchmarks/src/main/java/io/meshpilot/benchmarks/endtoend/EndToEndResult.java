package io.meshpilot.benchmarks.endtoend;

import java.util.List;

/**
 * The figures of one end-to-end run. Times in seconds unless named otherwise; latencies and the floor in nanoseconds,
 * sorted; {@code load} is the machine's 1-minute load average before and after the run ({@code /proc/loadavg}). The
 * agents' heap per watched Service twice: once they lead, before any directive (the heap they added), and at the end
 * of the run with every directive applied (the heap given back when they are closed).
 */
record EndToEndResult(int services, int run, int regions, String loadBefore, String loadAfter,
        double agentsStart, double convergence, List<Long> latencies, int latencyUnresolved, List<Long> floor,
        double outageSlicesDeleted, List<Long> outageAppliedTimes, double ceilingPatchesPerSecond,
        double agentHeapBytesPerService, double appliedAgentHeapBytesPerService) {

    double latencyP50Millis() {
        return percentile(latencies, 0.5);
    }

    double latencyP99Millis() {
        return percentile(latencies, 0.99);
    }

    double latencyMaxMillis() {
        return percentile(latencies, 1.0);
    }

    double floorP99Millis() {
        return percentile(floor, 0.99);
    }

    double floorP50Millis() {
        return percentile(floor, 0.5);
    }

    /** Event-to-applied p99 over the floor's p99: the target is at most 3. */
    double latencyOverFloor() {
        return latencyP99Millis() / floorP99Millis();
    }

    /** Until the watch showed every Service of the region failed over. */
    double outageApplied() {
        return outageAppliedTimes.isEmpty() ? Double.NaN : outageAppliedTimes.get(outageAppliedTimes.size() - 1) / 1e9;
    }

    /** Services failed over per second, outage start to the last applied. */
    double outageServicesPerSecond() {
        return services / outageApplied();
    }

    /** The outage's apply rate over the API server's patch ceiling: the target is at least 0.8. */
    double outageOverCeiling() {
        return outageServicesPerSecond() / ceilingPatchesPerSecond;
    }

    /**
     * Services failed over per second once the fault was in (every deletion answered) until the last: the agent's
     * rate with the API server no longer deleting slices beside it, as the ceiling's is measured; NaN if every Service
     * had failed over before.
     */
    double outageServicesPerSecondAfterFault() {
        long faultIn = (long) (outageSlicesDeleted * 1e9);
        long after = outageAppliedTimes.stream().filter(time -> time > faultIn).count();
        double seconds = outageApplied() - outageSlicesDeleted;
        return after == 0 || seconds <= 0 ? Double.NaN : after / seconds;
    }

    double outageAfterFaultOverCeiling() {
        return outageServicesPerSecondAfterFault() / ceilingPatchesPerSecond;
    }

    static double percentile(List<Long> sortedNanos, double fraction) {
        if (sortedNanos.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(fraction * sortedNanos.size()) - 1;
        return sortedNanos.get(Math.max(0, Math.min(sortedNanos.size() - 1, index))) / 1e6;
    }
}
