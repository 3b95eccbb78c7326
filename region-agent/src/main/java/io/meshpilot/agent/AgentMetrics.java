package io.meshpilot.agent;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The agent's own metrics; gauges read values the event loop keeps in atomics, so any thread may scrape. */
public final class AgentMetrics {

    /** What became of a directive; the label of {@code meshpilot_agent_directives_total}. */
    public enum DirectiveResult {
        APPLIED("applied"), FAILED("failed"), REJECTED("rejected"), SKIPPED("skipped"),
        DRIFT_REVERTED("drift_reverted");

        private final String label;

        DirectiveResult(String label) {
            this.label = label;
        }
    }

    private final AtomicBoolean leader = new AtomicBoolean();
    private final AtomicInteger managedServices = new AtomicInteger();
    private final Counter republished;
    private final Counter directives;
    private final Histogram reaction;

    public AgentMetrics(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("meshpilot_agent_leader")
                .help("1 while this replica holds the region's lease and acts, 0 while it stands by.")
                .callback(callback -> callback.call(leader.get() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("meshpilot_agent_managed_services")
                .help("Services this agent manages (matching its selector in its namespaces).")
                .callback(callback -> callback.call(managedServices.get())).register(registry);
        republished = Counter.builder().name("meshpilot_agent_health_republished_total")
                .help("Full re-publications of every managed Service's health, by cause (resync, reconnect, "
                        + "leadership).")
                .labelNames("cause").register(registry);
        directives = Counter.builder().name("meshpilot_agent_directives_total")
                .help("Directives handled, by result (applied, failed, rejected, skipped as not newer, "
                        + "drift_reverted).")
                .labelNames("result").register(registry);
        for (DirectiveResult result : DirectiveResult.values()) {
            directives.initLabelValues(result.label);
        }
        List.of("resync", "reconnect", "leadership").forEach(republished::initLabelValues);
        reaction = Histogram.builder().name("meshpilot_agent_reaction_seconds")
                .help("From a health change observed by this agent to the changed annotations applied, on the "
                        + "agent's own clock.")
                .classicOnly().classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
                .register(registry);
    }

    public void leader(boolean isLeader) {
        leader.set(isLeader);
    }

    public void managedServices(int count) {
        managedServices.set(count);
    }

    public int managedServicesNow() {
        return managedServices.get();
    }

    public void republished(String cause) {
        republished.labelValues(cause).inc();
    }

    public void directive(DirectiveResult result) {
        directives.labelValues(result.label).inc();
    }

    public void reaction(Duration elapsed) {
        reaction.observe(elapsed.toNanos() / 1e9);
    }
}
