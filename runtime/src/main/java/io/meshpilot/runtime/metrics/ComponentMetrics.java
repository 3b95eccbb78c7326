package io.meshpilot.runtime.metrics;

import io.meshpilot.schemas.BuildInfo;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * A component's own metric registry (so several components in one JVM, as in the sandbox, never share series),
 * with the JVM's metrics and {@code meshpilot_build_info}.
 */
public final class ComponentMetrics {

    /**
     * The JVM's metrics, registered once. {@link JvmMetrics} keeps every registry it is registered with in a static
     * set for ever, so registering it with each component's registry kept every closed component (its registry's
     * callbacks reach all it knew) from being collected; the load harness measured it.
     */
    private static final PrometheusRegistry JVM = jvm();

    private ComponentMetrics() {
    }

    /** @param component {@code agent} or {@code control-plane} */
    public static PrometheusRegistry registry(String component) {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register((MultiCollector) JVM::scrape);
        Info.builder().name("meshpilot_build_info").help("The running meshpilot build: 1, with its version.")
                .labelNames("component", "version").register(registry)
                .addLabelValues(component, BuildInfo.version());
        return registry;
    }

    private static PrometheusRegistry jvm() {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        return registry;
    }
}
