package io.meshpilot.sandbox;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshpilot.agent.health.EndpointSliceReader;
import io.meshpilot.core.health.Endpoint;
import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.core.routing.ClusterService;
import io.meshpilot.core.routing.RoutingModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client's requests to hello-world would reach in a sandbox region, by the Cilium routing model over the
 * regions' live state: each region's annotations and active endpoints, as its API server holds them.
 */
public final class ClientTraffic {

    private ClientTraffic() {
    }

    /** The regions whose backends a client in {@code region} reaches, with how many backends each. */
    public static Map<String, Integer> reachable(Sandbox sandbox, String region) {
        List<ClusterService> clusters = new ArrayList<>();
        for (SandboxRegion each : sandbox.regions()) {
            KubernetesClient client = each.client();
            Service service = client.services().inNamespace(WalkthroughWorkload.NAMESPACE)
                    .withName(WalkthroughWorkload.SERVICE).get();
            if (service != null) {
                Map<String, String> annotations = service.getMetadata().getAnnotations() == null ? Map.of()
                        : service.getMetadata().getAnnotations();
                clusters.add(new ClusterService(each.name(), CiliumServiceConfig.fromAnnotations(annotations)
                        .orElse(CiliumServiceConfig.LOCAL_ONLY), activeBackends(client)));
            }
        }
        return RoutingModel.reachableFrom(region, clusters);
    }

    /**
     * The answers to {@code count} requests from a client in the region, spread round-robin over the backends it
     * reaches, counted by answer, e.g. {@code {"Hello world from US!"=5, "Hello world from Europe!"=5}}.
     */
    public static Map<String, Integer> requests(Sandbox sandbox, String region, int count) {
        List<String> backends = new ArrayList<>();
        reachable(sandbox, region).forEach((cluster, backendCount) -> {
            for (int i = 0; i < backendCount; i++) {
                backends.add(WalkthroughWorkload.greeting(cluster));
            }
        });
        Map<String, Integer> answers = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            answers.merge(backends.isEmpty() ? "no backend: connection refused" : backends.get(i % backends.size()),
                    1, Integer::sum);
        }
        return answers;
    }

    private static int activeBackends(KubernetesClient client) {
        List<Endpoint> endpoints = new ArrayList<>();
        client.discovery().v1().endpointSlices().inNamespace(WalkthroughWorkload.NAMESPACE)
                .withLabel(EndpointSliceReader.SERVICE_NAME_LABEL, WalkthroughWorkload.SERVICE).list().getItems()
                .forEach(slice -> endpoints.addAll(EndpointSliceReader.endpoints(slice)));
        return EndpointTally.count(endpoints).active();
    }
}
