package io.meshpilot.operations.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.meshpilot.sandbox.AgentIdentity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A real sandbox region's agent runs with exactly the RBAC the agent chart renders: the sandbox's copy
 * (sandbox/src/main/resources/io/meshpilot/sandbox/agent-rbac.yaml) equals {@code helm template}'s ServiceAccount,
 * roles and bindings, labels aside.
 */
class SandboxAgentRbacTest {

    private static final List<Class<? extends HasMetadata>> RBAC = List.of(ServiceAccount.class, ClusterRole.class,
            ClusterRoleBinding.class, Role.class, RoleBinding.class);

    @Test
    void theSandboxGrantsItsAgentExactlyTheChartsRbac() {
        Manifests rendered = HelmChart.named("meshpilot-agent").render(List.of(),
                Map.of("region", "us", "kafka.bootstrapServers", "kafka.kafka:9092"));
        List<HasMetadata> chart = rendered.objects().stream().filter(o -> RBAC.stream().anyMatch(t -> t.isInstance(o)))
                .map(SandboxAgentRbacTest::withoutLabels).toList();

        assertThat(AgentIdentity.objects()).as("sandbox/src/main/resources/io/meshpilot/sandbox/%s should be:%n%s",
                AgentIdentity.RESOURCE, yaml(chart)).containsExactlyInAnyOrderElementsOf(chart);
        assertThat(chart).filteredOn(ServiceAccount.class::isInstance).singleElement()
                .satisfies(account -> assertThat(account.getMetadata().getName()).isEqualTo(
                        AgentIdentity.SERVICE_ACCOUNT))
                .satisfies(account -> assertThat(account.getMetadata().getNamespace()).isEqualTo(
                        AgentIdentity.NAMESPACE));
    }

    private static HasMetadata withoutLabels(HasMetadata object) {
        object.getMetadata().setLabels(new HashMap<>());
        return object;
    }

    private static String yaml(List<HasMetadata> objects) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        return objects.stream().map(serialization::asYaml).collect(Collectors.joining());
    }
}
