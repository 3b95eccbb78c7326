package io.meshpilot.agent;

import static io.meshpilot.agent.AgentHarness.SERVICE;
import static io.meshpilot.agent.AgentHarness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.MetricsPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 3, point 7: /healthz, /readyz and /metrics over real HTTP. */
@ExtendWith(KafkaBrokerExtension.class)
class AgentOperationsIT {

    @Test
    void servesHealthReadinessAndMetrics(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 2);
            RegionAgent agent = region.startAgent("agent-us-0");
            region.sendDirective(1, "local");
            await().atMost(WAIT).until(() -> "local".equals(region.annotations(SERVICE)
                    .get("service.cilium.io/affinity")));

            assertThat(MetricsPage.get(agent.httpPort(), "/healthz").statusCode()).isEqualTo(200);
            await().atMost(WAIT).untilAsserted(() -> assertThat(MetricsPage.get(agent.httpPort(), "/readyz"))
                    .satisfies(ready -> {
                        assertThat(ready.statusCode()).isEqualTo(200);
                        assertThat(ready.body()).isEqualTo("{\"status\":\"ready\"}");
                    }));
            var missing = MetricsPage.get(agent.httpPort(), "/nope");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("\"message\":\"no such endpoint: /nope\"");

            MetricsPage metrics = MetricsPage.scrape(agent.httpPort());
            assertThat(metrics.value("meshpilot_agent_managed_services")).isEqualTo(1);
            assertThat(metrics.value("meshpilot_agent_directives_total{result=\"applied\"}")).isEqualTo(1);
            assertThat(metrics.value("meshpilot_records_received_total{topic=\"directives\"}")).isEqualTo(1);
            assertThat(metrics.value("meshpilot_records_sent_total{outcome=\"success\",topic=\"health\"}")).isPositive();
            assertThat(metrics.value("meshpilot_kubernetes_requests_total{operation=\"patch-service\","
                    + "outcome=\"success\"}")).isEqualTo(1);
            assertThat(metrics.value("meshpilot_agent_reaction_seconds_count")).isEqualTo(1);
            assertThat(metrics.has("meshpilot_build_info")).isTrue();
            assertThat(metrics.has("jvm_memory_used_bytes")).isTrue();
        }
    }
}
