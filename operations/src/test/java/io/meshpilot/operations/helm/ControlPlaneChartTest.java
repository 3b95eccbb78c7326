package io.meshpilot.operations.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.meshpilot.operations.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control-plane chart, linted and rendered by helm, its manifests read back with fabric8. */
class ControlPlaneChartTest {

    private static final Map<String, Object> MONITORING = Map.of("kafka.bootstrapServers", "k:9092",
            "monitoring.serviceMonitor.enabled", true, "monitoring.prometheusRule.enabled", true,
            "monitoring.dashboard.enabled", true);

    private final HelmChart chart = HelmChart.named("meshpilot-control-plane");

    private Manifests defaults() {
        return chart.render(List.of(), Map.of("kafka.bootstrapServers", "kafka.kafka:9092"));
    }

    @Test
    void lintsCleanWithTheDefaultValuesAndTheThreeRegionExample(@TempDir Path work) throws IOException {
        LintResult defaults = chart.lint(Files.createDirectory(work.resolve("defaults")),
                Map.of("kafka", Map.of("bootstrapServers", "kafka.kafka:9092")));
        Path example = ProjectFiles.example("three-regions/control-plane.yaml");
        LintResult threeRegions = chart.lint(Files.createDirectory(work.resolve("example")),
                HelmChart.readYaml(example));

        assertThat(defaults.isFailed()).as(String.join("\n", defaults.getMessages())).isFalse();
        assertThat(threeRegions.isFailed()).as(String.join("\n", threeRegions.getMessages())).isFalse();
        assertThat(chart.render(List.of(example), Map.of()).one(Deployment.class).getSpec().getReplicas())
                .isEqualTo(3);
    }

    @Test
    void itNeedsNoKubernetesPermissionsAtAll() {
        Manifests manifests = defaults();

        assertThat(manifests.all(Role.class)).isEmpty();
        assertThat(manifests.all(ClusterRole.class)).isEmpty();
        assertThat(manifests.one(ServiceAccount.class).getAutomountServiceAccountToken()).isFalse();
        assertThat(manifests.one(Deployment.class).getSpec().getTemplate().getSpec()
                .getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void theWorkloadIsProbedRestrictedSizedProtectedAndServed() {
        Manifests manifests = defaults();

        WorkloadChecks.probedOnHealthzAndReadyz(manifests.container());
        WorkloadChecks.restricted(manifests.one(Deployment.class));
        WorkloadChecks.sized(manifests.container());
        WorkloadChecks.protectedByDisruptionBudget(manifests);
        assertThat(manifests.container().getArgs()).containsExactly("control-plane");
        Service service = manifests.one(Service.class);
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
        assertThat(service.getSpec().getSelector())
                .isEqualTo(manifests.one(Deployment.class).getSpec().getSelector().getMatchLabels());
    }

    @Test
    void everyValueReachesTheContainer() {
        Manifests manifests = chart.render(List.of(AgentChartTest.valuesFile("control-plane-every-value.yaml")),
                Map.of());

        assertThat(manifests.env()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("MESHPILOT_REPLICA_ID", "fieldRef:metadata.name"),
                Map.entry("MESHPILOT_KAFKA_BOOTSTRAP", "kafka-a:9093,kafka-b:9093"),
                Map.entry("MESHPILOT_TOPIC_PREFIX", "acme.mesh"),
                Map.entry("MESHPILOT_KAFKA_CONFIG", "/etc/meshpilot/kafka/cp.properties"),
                Map.entry("MESHPILOT_GROUP_ID", "acme.deciders"),
                Map.entry("MESHPILOT_REGION_DISCOVERY_INTERVAL", "45s"),
                Map.entry("MESHPILOT_PER_SERVICE_METRICS", "true"),
                Map.entry("MESHPILOT_HTTP_PORT", "9464"),
                Map.entry("MESHPILOT_LOG_LEVEL", "debug"),
                Map.entry("MESHPILOT_LOG_FORMAT", "text"),
                Map.entry("JAVA_TOOL_OPTIONS", "-XX:+UseSerialGC")));
        assertThat(WorkloadChecks.environmentOf("control-plane")).containsAll(manifests.env().keySet().stream()
                .filter(name -> name.startsWith("MESHPILOT_")).toList());
    }

    @Test
    void monitoringShipsTheRulesAndTheDashboardUnchanged() throws IOException {
        Manifests manifests = chart.render(List.of(), MONITORING);

        GenericKubernetesResource rule = manifests.generic("PrometheusRule").get(0);
        assertThat(rule.getAdditionalProperties().get("spec"))
                .isEqualTo(HelmChart.readYaml(ProjectFiles.alertRules("meshpilot-control-plane")));
        ConfigMap dashboard = manifests.one(ConfigMap.class);
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(dashboard.getData().get("meshpilot.json")))
                .isEqualTo(json.readTree(ProjectFiles.dashboard().toFile()));
        GenericKubernetesResource monitor = manifests.generic("ServiceMonitor").get(0);
        assertThat((String) monitor.get("spec", "jobLabel")).isEqualTo("app.kubernetes.io/name");
        assertThat((Boolean) monitor.get("spec", "endpoints", 0, "honorLabels"))
                .as("the per-Service series keep their namespace and service labels").isTrue();
        assertThat(manifests.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/name", "meshpilot-control-plane");
    }

    @Test
    void monitoringIsOffByDefault() {
        assertThat(defaults().kinds()).doesNotContain("PrometheusRule", "ServiceMonitor", "ConfigMap");
    }

    @Test
    void badValuesFailTheSchemaNamingTheSetting() {
        assertThatThrownBy(() -> chart.template(List.of(), Map.of("kafka.bootstrapServers", "just-a-host")))
                .hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> chart.template(List.of(), Map.of("kafka.bootstrapServers", "k:9092",
                "replicas", 0))).hasMessageContaining("replicas");
        assertThatThrownBy(() -> chart.template(List.of(), Map.of("kafka.bootstrapServers", "k:9092",
                "replicaCount", 2))).hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> chart.template(List.of(), Map.of()))
                .hasMessageContaining("kafka.bootstrapServers is required");
    }
}
