package io.meshpilot.reliability.faults;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.meshpilot.sandbox.Sandbox;
import io.meshpilot.sandbox.SandboxRegion;
import io.meshpilot.schemas.KubernetesContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Managed Services {@code shop/svc-000}... in every region of a sandbox, each backed by a Deployment the sandbox's
 * workload simulator turns into endpoints; it remembers the replicas it asked for, so it knows the annotations
 * meshpilot must converge to.
 */
final class Fleet {

    static final String NAMESPACE = "shop";
    static final int REPLICAS = 2;
    private static final Executor WRITERS = Executors.newFixedThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "fleet-writer");
        thread.setDaemon(true);
        return thread;
    });

    private final Sandbox sandbox;
    private final int size;
    private final Map<String, Integer> replicas = new ConcurrentHashMap<>();

    private Fleet(Sandbox sandbox, int size) {
        this.sandbox = sandbox;
        this.size = size;
    }

    /** Creates the fleet in every region, several writes at a time (one after another they take seconds). */
    static Fleet deploy(Sandbox sandbox, int size) {
        Fleet fleet = new Fleet(sandbox, size);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (SandboxRegion region : sandbox.regions()) {
            region.client().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                    .build()).serverSideApply();
            for (int i = 0; i < size; i++) {
                String name = name(i);
                writes.add(CompletableFuture.runAsync(() -> {
                    region.client().resource(service(name)).create();
                    region.client().resource(deployment(name, REPLICAS)).create();
                }, WRITERS));
                fleet.replicas.put(region.name() + "/" + name, REPLICAS);
            }
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        return fleet;
    }

    static String name(int index) {
        return String.format("svc-%03d", index);
    }

    int size() {
        return size;
    }

    List<String> regions() {
        return sandbox.regions().stream().map(SandboxRegion::name).toList();
    }

    /**
     * Scales one Service's Deployment in one region, as {@code kubectl scale} does: without the object's
     * resourceVersion, so the Deployment controller's own status updates cannot make it a 409 conflict.
     */
    void scale(String region, int index, int count) {
        sandbox.region(region).client().apps().deployments().inNamespace(NAMESPACE).withName(name(index))
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + count + "}}");
        replicas.put(region + "/" + name(index), count);
    }

    /** The affinity every Service must end with in every region, by the rules of SPEC §5 with default thresholds. */
    /**
     * With no replica anywhere, a region's clients may stay where they were (docs/decisions.md, rule 4): both
     * affinities reach the same nothing, and whichever Cilium prefers, it falls back to the other side.
     */
    static final String EITHER = "local or remote";

    Map<String, String> expectedAffinity() {
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            for (String region : regions()) {
                boolean local = replicas.get(region + "/" + name(i)) > 0;
                int index = i;
                boolean elsewhere = regions().stream().filter(other -> !other.equals(region))
                        .anyMatch(other -> replicas.get(other + "/" + name(index)) > 0);
                expected.put(region + "/" + name(i), local ? "local" : elsewhere ? "remote" : EITHER);
            }
        }
        return expected;
    }

    /** Per region, the Service's EndpointSlices as "ready/total" endpoints, for a report. */
    Map<String, List<String>> endpoints(String service) {
        Map<String, List<String>> endpoints = new LinkedHashMap<>();
        for (String region : regions()) {
            endpoints.put(region, sandbox.region(region).client().discovery().v1().endpointSlices()
                    .inNamespace(NAMESPACE).withLabel("kubernetes.io/service-name", service).list().getItems()
                    .stream().map(Fleet::readyOfTotal).toList());
        }
        return endpoints;
    }

    /** A slice's endpoints as "ready/total"; a slice scaled to nothing may have none at all (null). */
    private static String readyOfTotal(io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice slice) {
        var endpoints = slice.getEndpoints() == null
                ? List.<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint>of() : slice.getEndpoints();
        long ready = endpoints.stream().filter(endpoint -> endpoint.getConditions() != null
                && Boolean.TRUE.equals(endpoint.getConditions().getReady())).count();
        return ready + "/" + endpoints.size();
    }

    /** The affinity each Service has now in each region, as its annotations say. */
    Map<String, String> actualAffinity() {
        Map<String, String> actual = new LinkedHashMap<>();
        for (String region : regions()) {
            for (Service service : sandbox.region(region).client().services().inNamespace(NAMESPACE).list()
                    .getItems()) {
                Map<String, String> annotations = service.getMetadata().getAnnotations();
                actual.put(region + "/" + service.getMetadata().getName(), annotations == null ? "none"
                        : annotations.getOrDefault("service.cilium.io/affinity", "none"));
            }
        }
        return actual;
    }

    /** Which Services and regions differ from what is expected, as "region/service: actual != expected". */
    List<String> differences() {
        Map<String, String> actual = actualAffinity();
        List<String> differences = new ArrayList<>();
        expectedAffinity().forEach((key, expected) -> {
            boolean either = expected.equals(EITHER) && List.of("local", "remote").contains(actual.get(key));
            if (!either && !expected.equals(actual.get(key))) {
                differences.add(key + ": " + actual.get(key) + " != " + expected);
            }
        });
        return differences;
    }

    private static Service service(String name) {
        return new ServiceBuilder().withNewMetadata().withNamespace(NAMESPACE).withName(name)
                .addToLabels(KubernetesContract.MANAGED_LABEL, "true").endMetadata()
                .withNewSpec().addToSelector("app", name).addNewPort().withPort(80).endPort().endSpec().build();
    }

    private static Deployment deployment(String name, int count) {
        return new DeploymentBuilder().withNewMetadata().withNamespace(NAMESPACE).withName(name).endMetadata()
                .withNewSpec().withReplicas(count).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("hello").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }
}
