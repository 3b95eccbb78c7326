package io.meshpilot.agent;

import static io.meshpilot.agent.AgentHarness.KEY;
import static io.meshpilot.agent.AgentHarness.NAMESPACE;
import static io.meshpilot.agent.AgentHarness.SERVICE;
import static io.meshpilot.agent.AgentHarness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.meshpilot.agent.health.McsApiNotice;
import io.meshpilot.agent.health.ServiceWatch;
import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.TopicReader;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 16: the agent reads its cluster as Cilium does. */
@ExtendWith(KafkaBrokerExtension.class)
class AgentCiliumIT {

    @Test
    void neverCountsTheEndpointSlicesCiliumWritesForRemoteBackends(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 0);
            region.startAgent("agent-us-0");
            TopicReader health = region.reader(topics.health("us"));
            await().atMost(WAIT).until(() -> health.latest(KEY, ServiceHealth.class).isPresent());

            region.kubernetes.resource(slice(SERVICE + "-remote", "endpointslice-mesh-controller.cilium.io",
                    3, true, true, false)).create();
            region.kubernetes.resource(slice(SERVICE + "-slice", "endpointslice-controller.k8s.io",
                    1, false, true, true)).createOr(operation -> operation.update());

            // the draining pod is Cilium's local fallback and exported; the three remote pods are not this region's
            await().atMost(WAIT).untilAsserted(() -> assertThat(health.latest(KEY, ServiceHealth.class))
                    .hasValueSatisfying(h -> assertThat(h.endpoints())
                            .isEqualTo(new EndpointCounts(0, 1, 1, 0, 1, 1, 1))));
        }
    }

    @Test
    void removesTheLegacyAliasesCiliumWouldStillRead(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 2);
            region.kubernetes.services().inNamespace(NAMESPACE).withName(SERVICE).edit(service ->
                    new ServiceBuilder(service).editMetadata()
                            .addToAnnotations("io.cilium/global-service", "true")
                            .addToAnnotations("io.cilium/service-affinity", "remote").endMetadata().build());
            region.startAgent("agent-us-0");

            region.sendDirective(1, "local");

            await().atMost(WAIT).untilAsserted(() -> assertThat(present(region.annotations(SERVICE)))
                    .containsEntry("service.cilium.io/affinity", "local")
                    .doesNotContainKeys("io.cilium/global-service", "io.cilium/service-affinity"));

            region.kubernetes.services().inNamespace(NAMESPACE).withName(SERVICE).edit(service ->
                    new ServiceBuilder(service).editMetadata()
                            .addToAnnotations("io.cilium/shared-service", "false").endMetadata().build());

            await().atMost(WAIT).untilAsserted(() -> assertThat(region.events(SERVICE, "DriftReverted"))
                    .singleElement().satisfies(event -> assertThat(event.getMessage()).isEqualTo(
                            "reverted a manual edit (io.cilium/shared-service: false -> (none)): local-healthy "
                                    + "(directive 1)")));
            assertThat(present(region.annotations(SERVICE))).doesNotContainKey("io.cilium/shared-service");
        }
    }

    @Test
    void reportsWhetherItsNamespaceLetsCiliumExportTheService(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            region.kubernetes.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                    .addToAnnotations("clustermesh.cilium.io/global", "false").endMetadata().build())
                    .createOr(operation -> operation.update());
            region.createManagedService(SERVICE, 2);
            region.startAgent("agent-us-0", settings -> settings.withWatch(settings.watch()
                    .withNamespaceExport(AgentSettings.NamespaceExport.GLOBAL_BY_DEFAULT)));
            TopicReader health = region.reader(topics.health("us"));

            await().atMost(WAIT).untilAsserted(() -> assertThat(health.latest(KEY, ServiceHealth.class))
                    .hasValueSatisfying(h -> assertThat(h.exportable()).isFalse()));

            region.kubernetes.namespaces().withName(NAMESPACE).edit(namespace -> new NamespaceBuilder(namespace)
                    .editMetadata().removeFromAnnotations("clustermesh.cilium.io/global").endMetadata().build());

            await().atMost(WAIT).untilAsserted(() -> assertThat(health.latest(KEY, ServiceHealth.class))
                    .hasValueSatisfying(h -> assertThat(h.exportable()).isTrue()));
        }
    }

    @Test
    void saysWhenAManagedServiceIsAlsoExportedThroughTheMcsApi(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            installServiceExportCrd(region);
            region.createManagedService(SERVICE, 2);
            region.startAgent("agent-us-0", settings -> settings.withWatch(settings.watch().withMcsApi(true)));
            TopicReader health = region.reader(topics.health("us"));
            await().atMost(WAIT).until(() -> health.latest(KEY, ServiceHealth.class).isPresent());

            region.kubernetes.genericKubernetesResources(ServiceWatch.SERVICE_EXPORT).inNamespace(NAMESPACE)
                    .resource(new GenericKubernetesResourceBuilder().withApiVersion("multicluster.x-k8s.io/v1alpha1")
                            .withKind("ServiceExport").withNewMetadata().withNamespace(NAMESPACE).withName(SERVICE)
                            .endMetadata().build()).create();

            await().atMost(WAIT).untilAsserted(() -> assertThat(health.latest(KEY, ServiceHealth.class))
                    .hasValueSatisfying(h -> assertThat(h.mcsApiExport()).isTrue()));
            await().atMost(WAIT).untilAsserted(() -> assertThat(region.events(SERVICE, McsApiNotice.REASON))
                    .singleElement().satisfies(event -> {
                        assertThat(event.getType()).isEqualTo("Warning");
                        assertThat(event.getMessage()).isEqualTo(McsApiNotice.MESSAGE);
                    }));
        }
    }

    /** The MCS-API's ServiceExport, as its CRD defines it (the real API server serves only what is installed). */
    private static void installServiceExportCrd(AgentHarness region) {
        io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition crd =
                new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder()
                        .withNewMetadata().withName("serviceexports.multicluster.x-k8s.io").endMetadata()
                        .withNewSpec().withGroup("multicluster.x-k8s.io").withScope("Namespaced")
                        .withNewNames().withKind("ServiceExport").withPlural("serviceexports")
                        .withSingular("serviceexport").withListKind("ServiceExportList").endNames()
                        .addNewVersion().withName("v1alpha1").withServed(true).withStorage(true)
                        .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                        .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                        .endVersion().endSpec().build();
        if (region.kubernetes.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                .get() == null) {
            region.kubernetes.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
        region.kubernetes.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                .waitUntilCondition(found -> found != null && found.getStatus() != null && found.getStatus()
                        .getConditions().stream().anyMatch(condition -> "Established".equals(condition.getType())
                                && "True".equals(condition.getStatus())), 60, java.util.concurrent.TimeUnit.SECONDS);
        // An established CRD's storage may still answer 429 "storage is (re)initializing" for a moment.
        await().atMost(WAIT).ignoreExceptions().until(() -> region.kubernetes.genericKubernetesResources(
                ServiceWatch.SERVICE_EXPORT).inNamespace(NAMESPACE).list() != null);
    }

    private static EndpointSlice slice(String name, String managedBy, int pods, boolean ready, boolean serving,
            boolean terminating) {
        EndpointSliceBuilder slice = new EndpointSliceBuilder().withNewMetadata().withNamespace(NAMESPACE)
                .withName(name).addToLabels("kubernetes.io/service-name", SERVICE)
                .addToLabels("endpointslice.kubernetes.io/managed-by", managedBy).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort();
        for (int i = 0; i < pods; i++) {
            slice.addNewEndpoint().withAddresses("10.9.0." + (i + 1))
                    .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating)
                    .endConditions()
                    .withNewTargetRef().withKind("Pod").withNamespace(NAMESPACE).withName(name + "-" + i)
                    .endTargetRef().endEndpoint();
        }
        return slice.build();
    }

    /** Annotations with a value (fabric8's mock server keeps a key a merge patch set to null). */
    private static Map<String, String> present(Map<String, String> annotations) {
        Map<String, String> present = new java.util.TreeMap<>();
        annotations.forEach((name, value) -> {
            if (value != null) {
                present.put(name, value);
            }
        });
        return present;
    }
}
