package io.meshpilot.controlplane.shard;

/** What the shard counts; the runtime exports it (Prometheus). Counted on commit, gauges set as state changes. */
public interface DecisionMetrics {

    void decided(String reason);

    void failover();

    void failback();

    void policy(String result);

    void staleRegions(int count);

    void globalOutages(int count);

    void ownedPartitions(int count);

    /** A region is known from now on (its per-region series can start at zero). */
    default void regionKnown(String region) {
    }

    /** A failover or failback ({@code kind}) committed, this long after its region's agent saw the health change. */
    default void incidentDecided(String kind, java.time.Duration detectionToDecision) {
    }

    /**
     * A failover or failback applied in every region it sent a directive to: per region, how long after the commit;
     * and from the detection to the last region applying it.
     */
    default void incidentApplied(String kind, java.util.Map<String, java.time.Duration> decisionToApplied,
            java.time.Duration detectionToApplied) {
    }

    DecisionMetrics NONE = new DecisionMetrics() {
        @Override
        public void decided(String reason) {
        }

        @Override
        public void failover() {
        }

        @Override
        public void failback() {
        }

        @Override
        public void policy(String result) {
        }

        @Override
        public void staleRegions(int count) {
        }

        @Override
        public void globalOutages(int count) {
        }

        @Override
        public void ownedPartitions(int count) {
        }
    };
}
