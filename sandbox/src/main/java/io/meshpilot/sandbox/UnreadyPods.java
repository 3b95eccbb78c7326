package io.meshpilot.sandbox;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a real sandbox region, honours {@value WorkloadSimulator#UNREADY_ANNOTATION}: {@code N} on a Deployment marks
 * the first {@code N} of its running pods (by name) not ready through their status, as a failing readiness probe
 * would; the EndpointSlice controller then lists them with {@code ready: false}. KWOK makes pods ready once and
 * leaves their conditions alone afterwards.
 */
final class UnreadyPods implements AutoCloseable {

    /** The reason on conditions this class set, so only those are set back to ready. */
    static final String REASON = "SandboxUnready";
    private static final Logger LOG = LoggerFactory.getLogger(UnreadyPods.class);

    private final KubernetesClient client;
    private SharedIndexInformer<Deployment> deployments;
    private SharedIndexInformer<Pod> pods;

    UnreadyPods(KubernetesClient client) {
        this.client = client;
    }

    UnreadyPods start() {
        pods = client.pods().inAnyNamespace().inform(handler(), 0);
        deployments = client.apps().deployments().inAnyNamespace().inform(handler(), 0);
        return this;
    }

    private <T> ResourceEventHandler<T> handler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                reconcile();
            }

            @Override
            public void onUpdate(T previous, T current) {
                reconcile();
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                reconcile();
            }
        };
    }

    private synchronized void reconcile() {
        if (deployments == null || pods == null) {
            return;
        }
        for (Deployment deployment : deployments.getStore().list()) {
            int unready = WorkloadSimulator.unready(deployment);
            List<Pod> running = podsOf(deployment);
            for (int i = 0; i < running.size(); i++) {
                Pod pod = running.get(i);
                if (i < unready && isReady(pod)) {
                    setReady(pod, false);
                } else if (i >= unready && markedUnready(pod)) {
                    setReady(pod, true);
                }
            }
        }
    }

    private List<Pod> podsOf(Deployment deployment) {
        Map<String, String> selector = deployment.getSpec().getSelector() == null ? null
                : deployment.getSpec().getSelector().getMatchLabels();
        if (selector == null || selector.isEmpty()) {
            return List.of();
        }
        return pods.getStore().list().stream()
                .filter(pod -> pod.getMetadata().getNamespace().equals(deployment.getMetadata().getNamespace()))
                .filter(pod -> pod.getMetadata().getLabels() != null
                        && pod.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .filter(pod -> pod.getStatus() != null && pod.getStatus().getPodIP() != null)
                .sorted(Comparator.comparing(pod -> pod.getMetadata().getName()))
                .toList();
    }

    private static boolean isReady(Pod pod) {
        return ready(pod).map(condition -> "True".equals(condition.getStatus())).orElse(false);
    }

    private static boolean markedUnready(Pod pod) {
        return ready(pod).map(condition -> REASON.equals(condition.getReason())
                && !"True".equals(condition.getStatus())).orElse(false);
    }

    private static java.util.Optional<PodCondition> ready(Pod pod) {
        return pod.getStatus().getConditions() == null ? java.util.Optional.empty()
                : pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }

    private void setReady(Pod pod, boolean ready) {
        String status = ready ? "True" : "False";
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .editStatus(current -> {
                        current.getStatus().getConditions().stream()
                                .filter(c -> "Ready".equals(c.getType()) || "ContainersReady".equals(c.getType()))
                                .forEach(c -> {
                                    c.setStatus(status);
                                    c.setReason(ready ? null : REASON);
                                    c.setMessage(ready ? null : "marked not ready by the sandbox annotation "
                                            + WorkloadSimulator.UNREADY_ANNOTATION);
                                });
                        if (current.getStatus().getContainerStatuses() != null) {
                            for (ContainerStatus container : current.getStatus().getContainerStatuses()) {
                                container.setReady(ready);
                            }
                        }
                        return current;
                    });
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("pod", pod.getMetadata().getName()).addKeyValue("error", e.toString())
                    .log("cannot change the pod's readiness");
        }
    }

    @Override
    public void close() {
        if (deployments != null) {
            deployments.close();
        }
        if (pods != null) {
            pods.close();
        }
    }
}
