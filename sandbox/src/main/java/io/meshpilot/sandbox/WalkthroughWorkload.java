package io.meshpilot.sandbox;

import io.meshpilot.schemas.KubernetesContract;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshpilot.embedded.kubernetes.KubernetesObjects;
import java.util.Locale;
import java.util.Map;

/**
 * The Cilium Cluster Mesh walkthrough's workload in one region: a {@code hello-world} Deployment answering
 * {@code {"message": "Hello world from US!"}} and its Service, managed by meshpilot.
 */
public final class WalkthroughWorkload {

    public static final String NAMESPACE = "default";
    public static final String SERVICE = "hello-world";
    public static final Map<String, String> MANAGED = Map.of(KubernetesContract.MANAGED_LABEL, "true");

    private WalkthroughWorkload() {
    }

    public static final String CLIENT = "client";

    public static void seed(KubernetesClient client, String region, int replicas) {
        client.resource(KubernetesObjects.service(NAMESPACE, SERVICE, MANAGED)).create();
        client.resource(helloWorld(region, replicas)).create();
        client.resource(clientDeployment()).create();
    }

    /** The walkthrough's client: a pod that calls hello-world (its requests are played by the routing model). */
    static Deployment clientDeployment() {
        return new DeploymentBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(CLIENT).addToLabels("app", CLIENT).endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewSelector().addToMatchLabels("app", CLIENT).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", CLIENT).endMetadata()
                .withNewSpec().addNewContainer().withName("curl").withImage("docker.io/curlimages/curl:8.11.0")
                .withCommand("sh", "-c", "while true; do curl -s hello-world; sleep 1; done")
                .endContainer().endSpec().endTemplate().endSpec()
                .build();
    }

    /** What the region's backends answer, as in the walkthrough. */
    public static String greeting(String region) {
        String place = switch (region) {
            case "us" -> "US";
            case "eu" -> "Europe";
            default -> region.toUpperCase(Locale.ROOT);
        };
        return "{\"message\": \"Hello world from " + place + "!\"}";
    }

    static Deployment helloWorld(String region, int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(SERVICE).addToLabels("app", SERVICE)
                .endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", SERVICE).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", SERVICE).endMetadata()
                .withNewSpec().addNewContainer().withName("echo").withImage("docker.io/cilium/json-mock:1.2")
                .addNewEnv().withName("RESPONSE").withValue(greeting(region)).endEnv()
                .addNewPort().withContainerPort(8080).endPort()
                .endContainer().endSpec().endTemplate().endSpec()
                .build();
    }
}
