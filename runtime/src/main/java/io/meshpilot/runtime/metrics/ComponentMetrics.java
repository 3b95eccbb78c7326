package io.meshpilot.runtime.metrics;

import io.meshpilot.schemas.BuildInfo;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * A component's own metric registry (so several components in one JVM, as in the sandbox, never share series),
 * with the JVM's metrics and {@code meshpilot_build_info}.
 */
public final class ComponentMetrics {

    private ComponentMetrics() {
    }

    /** @param component {@code agent} or {@code control-plane} */
    public static PrometheusRegistry registry(String component) {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        Info.builder().name("meshpilot_build_info").help("The running meshpilot build: 1, with its version.")
                .labelNames("component", "version").register(registry)
                .addLabelValues(component, BuildInfo.version());
        return registry;
    }
}
