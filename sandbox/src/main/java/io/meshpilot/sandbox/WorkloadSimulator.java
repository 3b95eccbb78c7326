package io.meshpilot.sandbox;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meshpilot.embedded.kubernetes.KubernetesObjects;
import io.meshpilot.embedded.kubernetes.KubernetesObjects.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for the Deployment, ReplicaSet and EndpointSlice controllers of a sandbox region: each Deployment's
 * replicas become the endpoints of an EndpointSlice of every Service that selects its pods, with pod addresses from
 * the region's range. The annotation {@value #UNREADY_ANNOTATION} on a Deployment marks that many pods not ready.
 */
public final class WorkloadSimulator implements AutoCloseable {

    public static final String UNREADY_ANNOTATION = "sandbox.meshpilot.io/unready";
    static final String DEPLOYMENT_LABEL = "sandbox.meshpilot.io/deployment";
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadSimulator.class);

    private final KubernetesClient client;
    private final int regionIndex;
    private SharedIndexInformer<Deployment> deployments;
    private SharedIndexInformer<Service> services;

    /** @param regionIndex 1-based; pods of region {@code n} get addresses in {@code 10.n.0.0/16} */
    public WorkloadSimulator(KubernetesClient client, int regionIndex) {
        this.client = client;
        this.regionIndex = regionIndex;
    }

    public WorkloadSimulator start() {
        deployments = client.apps().deployments().inAnyNamespace()
                .inform(handler(this::reconcile, this::removeSlices), 0);
        services = client.services().inAnyNamespace().inform(handler(service ->
                deployments.getStore().list().stream()
                        .filter(deployment -> deployment.getMetadata().getNamespace()
                                .equals(service.getMetadata().getNamespace()))
                        .forEach(this::reconcile), service -> { }), 0);
        return this;
    }

    private synchronized void reconcile(Deployment deployment) {
        for (Service service : selecting(deployment)) {
            EndpointSlice slice = KubernetesObjects.endpointSlice(deployment.getMetadata().getNamespace(),
                    service.getMetadata().getName(), sliceName(service, deployment), "IPv4", pods(deployment));
            slice.getMetadata().getLabels().put(DEPLOYMENT_LABEL, deployment.getMetadata().getName());
            try {
                client.resource(slice).createOr(NonDeletingOperation::update);
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("slice", slice.getMetadata().getName()).addKeyValue("error", e.toString())
                        .log("cannot write EndpointSlice");
            }
        }
    }

    private synchronized void removeSlices(Deployment deployment) {
        client.discovery().v1().endpointSlices().inNamespace(deployment.getMetadata().getNamespace())
                .withLabel(DEPLOYMENT_LABEL, deployment.getMetadata().getName()).delete();
    }

    private List<Service> selecting(Deployment deployment) {
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        return services.getStore().list().stream()
                .filter(service -> service.getMetadata().getNamespace().equals(deployment.getMetadata().getNamespace()))
                .filter(service -> service.getSpec().getSelector() != null && !service.getSpec().getSelector().isEmpty())
                .filter(service -> podLabels != null
                        && podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()))
                .toList();
    }

    private List<Pod> pods(Deployment deployment) {
        int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        int unready = unready(deployment);
        int subnet = Math.floorMod(deployment.getMetadata().getName().hashCode(), 250);
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            String name = deployment.getMetadata().getName() + "-" + i;
            String address = "10." + regionIndex + "." + subnet + "." + (i + 1);
            pods.add(i < unready ? Pod.notReady(name, address) : Pod.ready(name, address));
        }
        return pods;
    }

    static int unready(Deployment deployment) {
        Map<String, String> annotations = deployment.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(UNREADY_ANNOTATION);
        try {
            return value == null ? 0 : Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            LOG.atWarn().addKeyValue("deployment", deployment.getMetadata().getName()).addKeyValue("value", value)
                    .log(UNREADY_ANNOTATION + " is not a number, ignored");
            return 0;
        }
    }

    private static String sliceName(Service service, Deployment deployment) {
        return service.getMetadata().getName() + "-" + deployment.getMetadata().getName();
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> changed, Consumer<T> deleted) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                changed.accept(object);
            }

            @Override
            public void onUpdate(T previous, T current) {
                changed.accept(current);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                deleted.accept(object);
            }
        };
    }

    @Override
    public void close() {
        if (services != null) {
            services.close();
        }
        if (deployments != null) {
            deployments.close();
        }
    }
}
