package io.meshpilot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, point 4: on a real region the agent runs as the chart's ServiceAccount with exactly the chart's RBAC
 * (SandboxAgentRbacTest checks the copy against helm template): it works with that, kube-apiserver's RBAC authorizer
 * forbids anything else.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AgentLeastPrivilegeIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void theAgentWorksWithTheChartsRbacAndMayNotWriteAnythingElse(EmbeddedKafkaBroker kafka, Topics topics,
            @TempDir Path stateDir) {
        try (Sandbox sandbox = Sandbox.start(new SandboxSettings(List.of("us"), Optional.of(kafka.bootstrapServers()),
                topics, stateDir, 2, 0, KubernetesBackend.REAL), Clock.systemUTC())) {
            SandboxRegion us = sandbox.region("us");
            await().atMost(WAIT).until(() -> "local".equals(us.client().services().inNamespace("default")
                    .withName("hello-world").get().getMetadata().getAnnotations().get("service.cilium.io/affinity")));
            assertThat(us.client().leases().inNamespace(AgentIdentity.NAMESPACE).withName("meshpilot-agent").get()
                    .getSpec().getHolderIdentity()).isEqualTo("agent-us-0");

            try (KubernetesClient agent = new KubernetesClientBuilder().withConfig(us.agentClientConfig()).build()) {
                assertThat(agent.services().inAnyNamespace().list().getItems()).isNotEmpty();
                assertThat(allowed(agent, "patch", "services", "")).isTrue();
                assertThat(allowed(agent, "create", "events", "")).isTrue();
                assertThat(allowed(agent, "update", "services", "")).isFalse();
                assertThat(allowed(agent, "delete", "services", "")).isFalse();
                assertThat(allowed(agent, "patch", "deployments", "apps")).isFalse();
                assertThat(allowed(agent, "list", "secrets", "")).isFalse();

                assertThatThrownBy(() -> agent.apps().deployments().inNamespace("default").withName("hello-world")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":5}}"))
                        .isInstanceOfSatisfying(KubernetesClientException.class,
                                e -> assertThat(e.getCode()).isEqualTo(403));
                assertThatThrownBy(() -> agent.secrets().inNamespace("default").list())
                        .isInstanceOfSatisfying(KubernetesClientException.class,
                                e -> assertThat(e.getCode()).isEqualTo(403));
            }
            assertThat(us.client().apps().deployments().inNamespace("default").withName("hello-world").get()
                    .getSpec().getReplicas()).isEqualTo(2);
        }
    }

    private static boolean allowed(KubernetesClient client, String verb, String resource, String group) {
        return client.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
                .withNewSpec().withNewResourceAttributes().withNamespace("default").withVerb(verb)
                .withResource(resource).withGroup(group).endResourceAttributes().endSpec().build())
                .getStatus().getAllowed();
    }
}
