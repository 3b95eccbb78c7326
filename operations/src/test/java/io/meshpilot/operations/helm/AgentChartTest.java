package io.meshpilot.operations.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.meshpilot.operations.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The agent chart, linted and rendered by helm, its manifests read back with fabric8. */
class AgentChartTest {

    /** What every install must say: the chart cannot guess its region or its Kafka. */
    static final Map<String, Object> REQUIRED = Map.of("region", "us", "kafka",
            Map.of("bootstrapServers", "kafka.kafka:9092"));

    private final HelmChart chart = HelmChart.named("meshpilot-agent");

    private Manifests defaults() {
        return chart.render(List.of(), Map.of("region", "us", "kafka.bootstrapServers", "kafka.kafka:9092"));
    }

    @Test
    void lintsCleanWithTheDefaultValues(@TempDir Path work) {
        LintResult result = chart.lint(work, REQUIRED);

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"us", "eu", "ap"})
    void lintsCleanWithTheThreeRegionExample(String region, @TempDir Path work) {
        Path example = ProjectFiles.example("three-regions/agent-" + region + ".yaml");

        LintResult result = chart.lint(work, HelmChart.readYaml(example));

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
        Manifests manifests = chart.render(List.of(example), Map.of());
        assertThat(manifests.env()).containsEntry("MESHPILOT_REGION", region);
        assertThat(manifests.all(Role.class)).extracting(role -> role.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("shop", "payments", HelmChart.NAMESPACE);
    }

    @Test
    void rbacIsExactlyTheSpecsLeastPrivilegeWithoutWildcards() {
        Manifests manifests = defaults();

        ClusterRole role = manifests.one(ClusterRole.class);
        assertThat(rules(role.getRules())).containsExactlyInAnyOrder(
                "/services [get, list, watch, patch]",
                "discovery.k8s.io/endpointslices [get, list, watch]",
                "/events [create]");
        Role lease = manifests.one(Role.class);
        assertThat(rules(lease.getRules())).containsExactlyInAnyOrder(
                "coordination.k8s.io/leases [create]",
                "coordination.k8s.io/leases/meshpilot-agent [get, patch]");
        assertThat(manifests.one(ClusterRoleBinding.class).getSubjects().get(0).getName())
                .isEqualTo(manifests.one(ServiceAccount.class).getMetadata().getName());
        assertThat(manifests.one(RoleBinding.class).getRoleRef().getName()).isEqualTo(lease.getMetadata().getName());
        assertThat(manifests.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(manifests.one(ServiceAccount.class).getMetadata().getName());
    }

    @Test
    void watchingSomeNamespacesGrantsRolesInThoseOnly(@TempDir Path work) throws IOException {
        Path values = Files.writeString(work.resolve("values.yaml"), "watch:\n  namespaces: [shop, payments]\n");

        Manifests manifests = chart.render(List.of(values), Map.of("region", "us", "kafka.bootstrapServers",
                "k:9092"));

        assertThat(manifests.all(ClusterRole.class)).isEmpty();
        assertThat(manifests.all(ClusterRoleBinding.class)).isEmpty();
        assertThat(manifests.all(Role.class)).filteredOn(role -> !role.getMetadata().getName().endsWith("-leader"))
                .extracting(role -> role.getMetadata().getNamespace()).containsExactlyInAnyOrder("shop", "payments");
        assertThat(manifests.env()).containsEntry("MESHPILOT_NAMESPACES", "shop,payments");
    }

    @Test
    void readsNamespacesAndServiceExportsOnlyWhenToldTo() {
        Manifests manifests = chart.render(List.of(), Map.of("region", "us", "kafka.bootstrapServers", "k:9092",
                "watch.clustermeshNamespaceExport", "local-by-default", "watch.mcsApi", "true"));

        assertThat(manifests.all(ClusterRole.class)).filteredOn(role -> role.getMetadata().getName()
                .endsWith("-clustermesh")).singleElement().satisfies(role -> assertThat(rules(role.getRules()))
                        .containsExactlyInAnyOrder("/namespaces [get, list, watch]",
                                "multicluster.x-k8s.io/serviceexports [get, list, watch]"));
        assertThat(manifests.all(ClusterRoleBinding.class)).hasSize(2);
        assertThat(manifests.env()).containsEntry("MESHPILOT_CLUSTERMESH_NAMESPACE_EXPORT", "local-by-default")
                .containsEntry("MESHPILOT_MCS_API", "true");
        assertThat(defaults().all(ClusterRole.class)).noneMatch(role -> role.getMetadata().getName()
                .endsWith("-clustermesh"));
    }

    @Test
    void theWorkloadIsProbedRestrictedSizedAndProtected() {
        Manifests manifests = defaults();

        WorkloadChecks.probedOnHealthzAndReadyz(manifests.container());
        WorkloadChecks.restricted(manifests.one(Deployment.class));
        WorkloadChecks.sized(manifests.container());
        WorkloadChecks.protectedByDisruptionBudget(manifests);
        assertThat(manifests.one(Deployment.class).getSpec().getReplicas()).isEqualTo(2);
        assertThat(manifests.container().getArgs()).containsExactly("agent");
        assertThat(manifests.container().getImage()).isEqualTo("ghcr.io/meshpilot/meshpilot:"
                + ChartVersions.appVersion(chart));
    }

    @Test
    void everyValueReachesTheContainer() {
        Manifests manifests = chart.render(List.of(valuesFile("agent-every-value.yaml")), Map.of());

        assertThat(manifests.env()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("MESHPILOT_REGION", "ap-south-1"),
                Map.entry("MESHPILOT_AGENT_ID", "fieldRef:metadata.name"),
                Map.entry("POD_NAMESPACE", "fieldRef:metadata.namespace"),
                Map.entry("MESHPILOT_KAFKA_BOOTSTRAP", "kafka-a:9093,kafka-b:9093"),
                Map.entry("MESHPILOT_TOPIC_PREFIX", "acme.mesh"),
                Map.entry("MESHPILOT_KAFKA_CONFIG", "/etc/meshpilot/kafka/agent.properties"),
                Map.entry("MESHPILOT_SELECTOR", "team=edge,mesh=on"),
                Map.entry("MESHPILOT_NAMESPACES", "shop,payments"),
                Map.entry("MESHPILOT_PUBLISH_WINDOW", "250ms"),
                Map.entry("MESHPILOT_RESYNC_INTERVAL", "30m"),
                Map.entry("MESHPILOT_HEARTBEAT_INTERVAL", "7s"),
                Map.entry("MESHPILOT_WRITE_RATE", "7"),
                Map.entry("MESHPILOT_APPLY_PARALLELISM", "3"),
                Map.entry("MESHPILOT_KUBE_REQUEST_TIMEOUT", "4s"),
                Map.entry("MESHPILOT_KUBE_ATTEMPTS", "3"),
                Map.entry("MESHPILOT_KUBE_BACKOFF", "150ms"),
                Map.entry("MESHPILOT_KUBE_BREAKER_OPEN", "45s"),
                Map.entry("MESHPILOT_LEADER_ELECTION", "false"),
                Map.entry("MESHPILOT_LEASE_NAME", "edge-agent"),
                Map.entry("MESHPILOT_LEASE_DURATION", "20s"),
                Map.entry("MESHPILOT_HTTP_PORT", "9464"),
                Map.entry("MESHPILOT_LOG_LEVEL", "debug"),
                Map.entry("MESHPILOT_LOG_FORMAT", "text"),
                Map.entry("JAVA_TOOL_OPTIONS", "-XX:+UseSerialGC")));
        assertThat(manifests.container().getPorts().get(0).getContainerPort()).isEqualTo(9464);
        assertThat(manifests.one(Deployment.class).getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(volume -> volume.getSecret() != null).singleElement()
                .satisfies(volume -> assertThat(volume.getSecret().getSecretName()).isEqualTo("kafka-client"));
        assertThat(manifests.all(Role.class)).noneMatch(role -> role.getMetadata().getName().endsWith("-leader"));
    }

    @Test
    void theContainerReadsOnlyVariablesTheAgentKnows() {
        assertThat(WorkloadChecks.environmentOf("agent"))
                .containsAll(defaults().env().keySet().stream().filter(name -> name.startsWith("MESHPILOT_"))
                        .toList())
                .contains("POD_NAMESPACE");
    }

    @Test
    void aServiceMonitorLabelsTheAgentsSeriesWithTheirRegion() {
        Manifests manifests = chart.render(List.of(), Map.of("region", "eu", "kafka.bootstrapServers", "k:9092",
                "serviceMonitor.enabled", true));

        GenericKubernetesResource monitor = manifests.generic("ServiceMonitor").get(0);
        assertThat(monitor.get("spec", "endpoints", 0, "relabelings", 0).toString())
                .contains("targetLabel=region", "replacement=eu");
        assertThat((String) monitor.get("spec", "endpoints", 0, "path")).isEqualTo("/metrics");
    }

    @Test
    void thePrometheusRuleShipsTheAgentsAlertRulesUnchangedAndOnlyWhenAskedFor() {
        Manifests manifests = chart.render(List.of(), Map.of("region", "eu", "kafka.bootstrapServers", "k:9092",
                "prometheusRule.enabled", true));

        GenericKubernetesResource rule = manifests.generic("PrometheusRule").get(0);
        assertThat(rule.getAdditionalProperties().get("spec"))
                .isEqualTo(HelmChart.readYaml(ProjectFiles.alertRules("meshpilot-agent")));
        assertThat(defaults().kinds()).doesNotContain("PrometheusRule", "ServiceMonitor");
    }

    @Test
    void anInvalidRegionFailsTheSchemaNamingTheSetting() {
        assertThatThrownBy(() -> chart.template(List.of(), Map.of("region", "US_East",
                "kafka.bootstrapServers", "k:9092")))
                .hasMessageContaining("region").hasMessageContaining("pattern");
        assertThatThrownBy(() -> chart.template(List.of(), Map.of("region", "us", "kafka.bootstrapServers",
                "k:9092", "watch.publishWindow", "soon")))
                .hasMessageContaining("publishWindow");
    }

    @Test
    void missingRequiredValuesFailWithWhatToSet() {
        assertThatThrownBy(() -> chart.template(List.of(), Map.of("kafka.bootstrapServers", "k:9092")))
                .hasMessageContaining("region is required").hasMessageContaining("--set region=us");
        assertThatThrownBy(() -> chart.template(List.of(), Map.of("region", "us")))
                .hasMessageContaining("kafka.bootstrapServers is required");
    }

    private static List<String> rules(List<PolicyRule> rules) {
        return rules.stream().map(rule -> {
            assertThat(rule.getVerbs()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*");
            assertThat(rule.getApiGroups()).doesNotContain("*");
            String names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty() ? ""
                    : "/" + String.join(",", rule.getResourceNames());
            return rule.getApiGroups().get(0) + "/" + String.join(",", rule.getResources()) + names + " "
                    + rule.getVerbs();
        }).toList();
    }

    static Path valuesFile(String name) {
        try {
            return Path.of(AgentChartTest.class.getResource("/helm/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
