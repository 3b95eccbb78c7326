package io.meshpilot.controlplane;

import io.meshpilot.core.decision.Reason;
import io.meshpilot.kafka.SendListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/** The control plane's own metrics; gauges read atomics the event loop keeps, so any thread may scrape. */
public final class ControlPlaneMetrics implements io.meshpilot.controlplane.shard.DecisionMetrics {

    private final Counter decisions;
    private final Counter failovers;
    private final Counter failbacks;
    private final Counter directives;
    private final Counter transactions;
    private final Counter policies;
    private final Counter recoveries;
    private final Counter pinsExpired;
    private final java.util.concurrent.atomic.AtomicReference<io.meshpilot.controlplane.policy.PolicyBook.Pins> pins =
            new java.util.concurrent.atomic.AtomicReference<>(new io.meshpilot.controlplane.policy.PolicyBook.Pins(0, 0));
    private final Counter runtimeFailures;
    private final Counter practiceRuns;
    private final Histogram practiceDrain;
    private final Histogram practiceFailback;
    private final AtomicInteger practiceActive = new AtomicInteger();
    private final Histogram decisionLatency;
    private final Histogram incidentDecided;
    private final Histogram incidentAppliedIn;
    private final Histogram incidentApplied;
    private final SendListener records;
    private final AtomicInteger staleRegions = new AtomicInteger();
    private final AtomicInteger globalOutages = new AtomicInteger();
    private final AtomicInteger ownedPartitions = new AtomicInteger();

    /** Counts records published in transactions into {@code records} too: sent when committed, failed if aborted. */
    public ControlPlaneMetrics(PrometheusRegistry registry, SendListener records) {
        this.records = records;
        decisions = Counter.builder().name("meshpilot_decisions_total")
                .help("Region outcomes that changed a directive, by reason.").labelNames("reason").register(registry);
        failovers = Counter.builder().name("meshpilot_failovers_total")
                .help("Regions whose clients were sent to other regions (degraded or drained).").register(registry);
        failbacks = Counter.builder().name("meshpilot_failbacks_total")
                .help("Regions whose clients came home after the failback delay.").register(registry);
        directives = Counter.builder().name("meshpilot_directives_published_total")
                .help("Directives published in committed transactions.").register(registry);
        transactions = Counter.builder().name("meshpilot_control_plane_transactions_total")
                .help("Publishing transactions by outcome (committed, aborted).").labelNames("outcome")
                .register(registry);
        policies = Counter.builder().name("meshpilot_policies_total")
                .help("Policy records judged, by result (accepted, rejected, deleted).").labelNames("result")
                .register(registry);
        recoveries = Counter.builder().name("meshpilot_control_plane_recoveries_total")
                .help("Times this replica's producer could not go on (fenced, or its transaction timed out) and it "
                        + "joined the group again, rebuilding its decisions from the topics.").register(registry);
        runtimeFailures = Counter.builder().name("meshpilot_control_plane_runtime_failures_total")
                .help("Poll loops or handlers that failed; each stops the replica deciding (see /healthz).")
                .labelNames("loop").register(registry);
        List.of("observer", "ownership").forEach(runtimeFailures::initLabelValues);
        io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("meshpilot_policy_pins")
                .help("Policies in force that pin their Services (mode local, remote, balanced or unmanaged), by "
                        + "whether they expire (expiresAt).")
                .labelNames("expiring").callback(callback -> {
                    io.meshpilot.controlplane.policy.PolicyBook.Pins now = pins.get();
                    callback.call(now.all() - now.expiring(), "false");
                    callback.call(now.expiring(), "true");
                }).register(registry);
        pinsExpired = Counter.builder().name("meshpilot_policy_pins_expired_total")
                .help("Pins that reached their expiresAt; their scopes returned to the next policy down.")
                .register(registry);
        for (Reason reason : Reason.values()) {
            decisions.initLabelValues(reason.wireName());
        }
        List.of("committed", "aborted").forEach(transactions::initLabelValues);
        List.of("accepted", "rejected", "deleted").forEach(policies::initLabelValues);
        decisionLatency = Histogram.builder().name("meshpilot_decision_latency_seconds")
                .help("From a health change observed by an agent to the directive it caused being published "
                        + "(committed), across the two clocks.")
                .classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .register(registry);
        double[] incidentBuckets = {0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 120, 300};
        incidentDecided = Histogram.builder().name("meshpilot_incident_detection_to_decision_seconds")
                .help("Per failover or failback (kind) of a region: from its agent seeing the health change (the "
                        + "health record's observedAt) to the directives committed; includes the policy's delays.")
                .labelNames("kind").classicOnly().classicUpperBounds(incidentBuckets).register(registry);
        incidentAppliedIn = Histogram.builder().name("meshpilot_incident_decision_to_applied_seconds")
                .help("Per failover or failback (kind), per region it sent a directive to: from the directives "
                        + "committed to that region's agent reporting them applied.")
                .labelNames("kind", "region").classicOnly().classicUpperBounds(incidentBuckets).register(registry);
        incidentApplied = Histogram.builder().name("meshpilot_incident_detection_to_applied_seconds")
                .help("Per failover or failback (kind): from its agent seeing the health change to the last region "
                        + "applying its directives (the failover SLO).")
                .labelNames("kind").classicOnly().classicUpperBounds(incidentBuckets).register(registry);
        practiceRuns = Counter.builder().name("meshpilot_practice_runs_total")
                .help("Practice runs ended, by result (completed, aborted, refused, rejected).").labelNames("result")
                .register(registry);
        List.of("completed", "aborted", "refused", "rejected").forEach(practiceRuns::initLabelValues);
        practiceDrain = Histogram.builder().name("meshpilot_practice_drain_seconds")
                .help("Per Service of a practice run: from the drain's start to the last region applying it.")
                .classicOnly().classicUpperBounds(incidentBuckets).register(registry);
        practiceFailback = Histogram.builder().name("meshpilot_practice_failback_seconds")
                .help("Per Service of a practice run: from the window's end to the last region applying the "
                        + "failback (the policy's failbackDelaySeconds included).")
                .classicOnly().classicUpperBounds(incidentBuckets).register(registry);
        gauge(registry, "meshpilot_practice_runs_active", "Practice runs draining a region now.",
                practiceActive::get);
        for (String kind : List.of("failover", "failback")) {
            incidentDecided.initLabelValues(kind);
            incidentApplied.initLabelValues(kind);
        }
        gauge(registry, "meshpilot_regions_stale", "Regions whose agent has not been heard within the default "
                + "staleAfter.", staleRegions::get);
        gauge(registry, "meshpilot_global_outage_services", "Services this replica owns with no healthy region "
                + "at all (in a global outage now).",
                globalOutages::get);
        gauge(registry, "meshpilot_control_plane_owned_partitions", "Partitions of the region topics this replica "
                + "decides for.", ownedPartitions::get);
    }

    private static void gauge(PrometheusRegistry registry, String name, String help, IntSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(callback -> callback.call(value.getAsInt()))
                .register(registry);
    }

    @Override
    public void decided(String reason) {
        decisions.labelValues(reason).inc();
    }

    @Override
    public void failover() {
        failovers.inc();
    }

    @Override
    public void failback() {
        failbacks.inc();
    }

    @Override
    public void regionKnown(String region) {
        List.of("failover", "failback").forEach(kind -> incidentAppliedIn.initLabelValues(kind, region));
    }

    @Override
    public void incidentDecided(String kind, Duration detectionToDecision) {
        incidentDecided.labelValues(kind).observe(seconds(detectionToDecision));
    }

    @Override
    public void incidentApplied(String kind, java.util.Map<String, Duration> decisionToApplied,
            Duration detectionToApplied) {
        decisionToApplied.forEach((region, latency) -> incidentAppliedIn.labelValues(kind, region)
                .observe(seconds(latency)));
        incidentApplied.labelValues(kind).observe(seconds(detectionToApplied));
    }

    /** Seconds, never negative (the durations span the agents' and the control plane's clocks). */
    private static double seconds(Duration latency) {
        return Math.max(0, latency.toNanos()) / 1e9;
    }

    public void committed(List<String> recordTopics, int directiveCount, List<Duration> latencies) {
        transactions.labelValues("committed").inc();
        recordTopics.forEach(records::sent);
        directives.inc(directiveCount);
        latencies.forEach(latency -> decisionLatency.observe(Math.max(0, latency.toNanos()) / 1e9));
    }

    public void aborted(List<String> recordTopics, Throwable failure) {
        transactions.labelValues("aborted").inc();
        recordTopics.forEach(topic -> records.failed(topic, failure));
    }

    /** The pins' metrics, for the shard's pin timers. */
    public io.meshpilot.controlplane.practice.PracticeMetrics practiceMetrics() {
        return new io.meshpilot.controlplane.practice.PracticeMetrics() {
            @Override
            public void ended(String result) {
                practiceRuns.labelValues(result).inc();
            }

            @Override
            public void drained(Duration elapsed) {
                practiceDrain.observe(seconds(elapsed));
            }

            @Override
            public void failedBack(Duration elapsed) {
                practiceFailback.observe(seconds(elapsed));
            }

            @Override
            public void active(int runs) {
                practiceActive.set(runs);
            }
        };
    }

    public io.meshpilot.controlplane.policy.PinExpiry.Metrics pinMetrics() {
        return new io.meshpilot.controlplane.policy.PinExpiry.Metrics() {
            @Override
            public void inForce(io.meshpilot.controlplane.policy.PolicyBook.Pins now) {
                pins.set(now);
            }

            @Override
            public void expired() {
                pinsExpired.inc();
            }
        };
    }

    public void recovery() {
        recoveries.inc();
    }

    public void runtimeFailure(String loop) {
        runtimeFailures.labelValues(loop).inc();
    }

    @Override
    public void policy(String result) {
        policies.labelValues(result).inc();
    }

    @Override
    public void staleRegions(int count) {
        staleRegions.set(count);
    }

    @Override
    public void globalOutages(int count) {
        globalOutages.set(count);
    }

    @Override
    public void ownedPartitions(int count) {
        ownedPartitions.set(count);
    }
}
