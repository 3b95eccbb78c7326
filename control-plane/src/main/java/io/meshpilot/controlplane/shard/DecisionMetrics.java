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
