package io.meshpilot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.lang.ref.WeakReference;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ComponentMetricsTest {

    @Test
    void eachComponentExportsTheJvmMetricsAndItsBuild() {
        PrometheusRegistry registry = ComponentMetrics.registry("agent");

        assertThat(registry.scrape().stream().map(snapshot -> snapshot.getMetadata().getName()))
                .contains("jvm_memory_used_bytes", "jvm_threads_current", "meshpilot_build");
    }

    @Test
    void theRegistriesOfTwoComponentsAreSeparateAndBothHaveTheJvmMetrics() {
        PrometheusRegistry agent = ComponentMetrics.registry("agent");
        PrometheusRegistry controlPlane = ComponentMetrics.registry("control-plane");

        assertThat(agent).isNotSameAs(controlPlane);
        assertThat(controlPlane.scrape().stream().map(MetricSnapshot::getMetadata)
                .filter(metadata -> metadata.getName().startsWith("jvm_"))).isNotEmpty();
    }

    @Test
    void aComponentsRegistryCanBeCollectedOnceTheComponentIsGone() {
        WeakReference<PrometheusRegistry> registry = new WeakReference<>(ComponentMetrics.registry("control-plane"));

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return registry.get() == null;
        });
    }
}
