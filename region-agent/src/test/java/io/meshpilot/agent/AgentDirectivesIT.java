package io.meshpilot.agent;

import static io.meshpilot.agent.AgentHarness.KEY;
import static io.meshpilot.agent.AgentHarness.NAMESPACE;
import static io.meshpilot.agent.AgentHarness.SERVICE;
import static io.meshpilot.agent.AgentHarness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.embedded.kubernetes.KubernetesObjects;
import io.meshpilot.kafka.DeadLetters;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.DirectiveStatus.Result;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.MetricsPage;
import io.meshpilot.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 3, points 3 and 4: how the agent applies directives, and which it refuses. */
@ExtendWith(KafkaBrokerExtension.class)
class AgentDirectivesIT {

    private static final Map<String, String> LOCAL = Map.of("service.cilium.io/global", "true",
            "service.cilium.io/shared", "true", "service.cilium.io/affinity", "local");

    @Test
    void revertsAManualEditOfAnOwnedAnnotationAndSaysSo(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 2);
            RegionAgent agent = region.startAgent("agent-us-0");
            region.sendDirective(1, "local");
            await().atMost(WAIT).until(() -> "local".equals(region.annotations(SERVICE)
                    .get("service.cilium.io/affinity")));

            region.kubernetes.services().inNamespace(NAMESPACE).withName(SERVICE).edit(service ->
                    new ServiceBuilder(service).editMetadata()
                            .addToAnnotations("service.cilium.io/affinity", "remote")
                            .addToAnnotations("team", "edge").endMetadata().build());

            await().atMost(WAIT).untilAsserted(() -> assertThat(region.events(SERVICE, "DriftReverted"))
                    .singleElement().satisfies(event -> {
                        assertThat(event.getType()).isEqualTo("Warning");
                        assertThat(event.getMessage()).isEqualTo("reverted a manual edit (service.cilium.io/"
                                + "affinity: remote -> local): local-healthy (directive 1)");
                    }));
            assertThat(region.annotations(SERVICE)).containsEntry("service.cilium.io/affinity", "local")
                    .containsEntry("team", "edge");
            assertThat(MetricsPage.scrape(agent.httpPort())
                    .value("meshpilot_agent_directives_total{result=\"drift_reverted\"}")).isEqualTo(1);
        }
    }

    @Test
    void neverAppliesAVersionOlderThanTheOneApplied(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 2);
            RegionAgent agent = region.startAgent("agent-us-0");
            TopicReader status = region.reader(topics.status("us"));

            region.sendDirective(5, "remote");
            await().atMost(WAIT).until(() -> "5".equals(region.annotations(SERVICE)
                    .get("meshpilot.io/directive-version")));
            region.sendDirective(3, "local");
            region.sendDirective(6, "remote");
            await().atMost(WAIT).until(() -> "6".equals(region.annotations(SERVICE)
                    .get("meshpilot.io/directive-version")));

            assertThat(region.annotations(SERVICE)).containsEntry("service.cilium.io/affinity", "remote");
            assertThat(status.documents(DirectiveStatus.class)).extracting(DirectiveStatus::version)
                    .containsExactly(5L, 6L);
            assertThat(region.events(SERVICE, "AffinityChanged")).hasSize(2);
            assertThat(MetricsPage.scrape(agent.httpPort())
                    .value("meshpilot_agent_directives_total{result=\"skipped\"}")).isEqualTo(1);
        }
    }

    @Test
    void rejectsWhatItMustNotApplyWithAStatusAndADeadLetterAndCarriesOn(EmbeddedKafkaBroker kafka,
            Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 2);
            region.kubernetes.resource(KubernetesObjects.service(NAMESPACE, "unmanaged", Map.of())).create();
            RegionAgent agent = region.startAgent("agent-us-0");
            // only the leader reports refusals; one read before it leads is not reported later
            await().atMost(WAIT).until(agent::leading);
            TopicReader status = region.reader(topics.status("us"));
            TopicReader deadLetters = region.reader(topics.deadLetter());

            region.sendDirective(AgentHarness.directive("eu", SERVICE, 1, LOCAL));
            region.sendDirective(AgentHarness.directive("us", "missing", 1, LOCAL));
            region.sendDirective(AgentHarness.directive("us", "unmanaged", 1, LOCAL));
            region.sendDirective(AgentHarness.directive("us", "hello-world", 2,
                    Map.of("service.cilium.io/lb-l7", "enabled")));
            region.sendDirective(3, "local");

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(status.latest(NAMESPACE + "/missing", DirectiveStatus.class)).hasValueSatisfying(s ->
                        rejected(s, "Service default/missing does not exist or is not managed in us"));
                assertThat(status.latest(NAMESPACE + "/unmanaged", DirectiveStatus.class)).hasValueSatisfying(s ->
                        rejected(s, "Service default/unmanaged does not exist or is not managed in us"));
                assertThat(status.documents(DirectiveStatus.class)).filteredOn(s -> s.version() == 1
                        && s.service().equals(SERVICE)).singleElement()
                        .satisfies(s -> rejected(s, "directive for region eu reached the agent of us"));
                assertThat(status.documents(DirectiveStatus.class)).filteredOn(s -> s.version() == 2)
                        .singleElement().satisfies(s -> rejected(s, "annotations outside the written set "
                                + "[service.cilium.io/affinity, service.cilium.io/global, service.cilium.io/shared]: "
                                + "[service.cilium.io/lb-l7]"));
                assertThat(status.latest(KEY, DirectiveStatus.class)).hasValueSatisfying(s -> {
                    assertThat(s.version()).isEqualTo(3);
                    assertThat(s.result()).isEqualTo(Result.APPLIED);
                });
                assertThat(deadLetters.poll()).hasSize(4).allSatisfy(letter -> {
                    assertThat(header(letter, DeadLetters.ERROR_HEADER)).isNotBlank();
                    assertThat(header(letter, DeadLetters.SOURCE_HEADER)).startsWith(topics.directives("us"));
                });
            });
            assertThat(region.annotations("unmanaged")).doesNotContainKey("service.cilium.io/affinity");
        }
    }

    private static void rejected(DirectiveStatus status, String message) {
        assertThat(status.result()).isEqualTo(Result.REJECTED);
        assertThat(status.message()).isEqualTo(message);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
