package io.meshpilot.operations.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.operations.ProjectFiles;
import io.meshpilot.sandbox.KubernetesBackend;
import io.meshpilot.sandbox.Sandbox;
import io.meshpilot.sandbox.SandboxRegion;
import io.meshpilot.sandbox.SandboxSettings;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.MetricsPage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Monitoring against a running sandbox (two regions, the control plane, the embedded broker): everything the dashboard
 * and the alert rules query is exported and documented; and a real Prometheus scraping the sandbox with the rules
 * loaded sees a failover, runs every dashboard query, and evaluates every rule without error.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MonitoringIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Sandbox sandbox;
    private static EmbeddedKafkaBroker kafka;
    private static Topics topics;

    @BeforeAll
    static void startSandbox(EmbeddedKafkaBroker broker, Topics prefixed, @TempDir Path stateDir) {
        kafka = broker;
        topics = prefixed;
        sandbox = Sandbox.start(new SandboxSettings(List.of("us", "eu"), Optional.of(kafka.bootstrapServers()),
                topics, stateDir, 2, 0, KubernetesBackend.REAL), Clock.systemUTC());
    }

    @AfterAll
    static void stopSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void everyMetricTheDashboardAndTheRulesQueryIsExportedAndEveryExportedMetricIsDocumented() {
        Set<String> queried = MetricNames.in(Stream.concat(
                Dashboard.read(ProjectFiles.dashboard()).expressions().stream(),
                ProjectFiles.alertRules().stream().flatMap(rules -> AlertRules.read(rules).expressions().stream()))
                .toList());
        assertThat(queried).hasSizeGreaterThan(20);
        rejectAPolicy();

        await("every queried metric exported").atMost(WAIT).untilAsserted(() ->
                assertThat(exportedSeriesNames()).as("series the sandbox exports").containsAll(queried));

        Set<String> exported = exportedSeriesNames();

        String doc = ProjectFiles.metricsDoc();
        Set<String> undocumented = new TreeSet<>();
        exported.stream().filter(name -> name.startsWith("meshpilot_")).map(MetricNames::family)
                .filter(family -> !doc.contains("`" + family + "`")).forEach(undocumented::add);
        assertThat(undocumented).as("exported but not in docs/metrics.md").isEmpty();
    }

    @Test
    void prometheusScrapingTheSandboxSeesAFailoverAndRunsEveryQueryAndRule(@TempDir Path directory)
            throws IOException {
        Path config = directory.resolve("prometheus.yml");
        Files.writeString(config, Files.readString(sandbox.stateDir().resolve("prometheus.yml"))
                + "rule_files: [\"" + ProjectFiles.alertRules("meshpilot-control-plane") + "\", \""
                + ProjectFiles.alertRules("meshpilot-agent") + "\"]\n");

        try (PrometheusServer prometheus = PrometheusServer.start(config, directory)) {
            await("every target up").atMost(WAIT).untilAsserted(() ->
                    assertThat(prometheus.value("sum(up)")).as(prometheus.log()).isEqualTo(3));
            await("us healthy").atMost(WAIT).untilAsserted(() -> assertThat(prometheus.value(
                    "max(meshpilot_region_services{region=\"us\",state=\"healthy\"})")).isEqualTo(1));

            sandbox.region("us").scaleHelloWorld(0, 0);

            await("the failover, through Prometheus").atMost(WAIT).untilAsserted(() -> {
                assertThat(prometheus.value("sum(meshpilot_failovers_total)")).isGreaterThanOrEqualTo(1);
                assertThat(prometheus.value("max(meshpilot_region_services{region=\"us\",state=\"degraded\"})"))
                        .isEqualTo(1);
                assertThat(prometheus.value("sum(meshpilot_agent_directives_total{region=\"us\",result=\"applied\"})"))
                        .isGreaterThanOrEqualTo(2);
            });
            await("the failed-over region's alert pending").atMost(WAIT).untilAsserted(() ->
                    assertThat(alerts(prometheus)).contains("MeshpilotRegionFailedOver{region=us} pending"));

            for (String expr : Dashboard.read(ProjectFiles.dashboard()).expressions()) {
                prometheus.query(Dashboard.runnable(expr));
            }
            assertThat(prometheus.query(Dashboard.runnable(
                    "sum(increase(meshpilot_failovers_total[$__rate_interval]))"))).isNotEmpty();
            assertEveryRuleEvaluatedWithoutError(prometheus);
        }
    }

    private static List<String> alerts(PrometheusServer prometheus) {
        List<String> alerts = new ArrayList<>();
        for (JsonNode alert : prometheus.api("/api/v1/alerts").path("alerts")) {
            String region = alert.path("labels").path("region").asText();
            alerts.add(alert.path("labels").path("alertname").asText() + (region.isEmpty() ? "" : "{region=" + region
                    + "}") + " " + alert.path("state").asText());
        }
        return alerts;
    }

    private static void assertEveryRuleEvaluatedWithoutError(PrometheusServer prometheus) {
        int rules = ProjectFiles.alertRules().stream().mapToInt(file -> AlertRules.read(file).alerts().size()).sum();
        await("every rule evaluated").atMost(WAIT).untilAsserted(() -> {
            List<String> health = new ArrayList<>();
            for (JsonNode group : prometheus.api("/api/v1/rules").path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    health.add(rule.path("name").asText() + ": " + rule.path("health").asText() + " "
                            + rule.path("lastError").asText());
                }
            }
            assertThat(health).hasSize(rules).allSatisfy(line -> assertThat(line).endsWith(": ok "));
        });
    }

    /** A policy the control plane rejects, so the series of a rejected scope exist too. */
    private static void rejectAPolicy() {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topics.policies(), "monitoring/never-deployed",
                    "{\"apiVersion\":\"meshpilot.io/v1\",\"kind\":\"TrafficPolicy\",\"mode\":\"sideways\"}"))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot write the policy", e);
        }
    }

    private static Set<String> exportedSeriesNames() {
        Set<String> names = new TreeSet<>();
        List<Integer> ports = new ArrayList<>();
        ports.add(URI.create(sandbox.controlPlaneUrl()).getPort());
        sandbox.regions().stream().map(SandboxRegion::agentHttpPort).forEach(ports::add);
        for (int port : ports) {
            names.addAll(MetricsPage.scrape(port).seriesNames());
        }
        return names;
    }
}
