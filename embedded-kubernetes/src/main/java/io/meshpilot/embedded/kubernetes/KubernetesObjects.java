package io.meshpilot.embedded.kubernetes;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;

/** Builders for the objects a sandbox region holds: Services and the EndpointSlices of their pods. */
public final class KubernetesObjects {

    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private KubernetesObjects() {
    }

    /** A ClusterIP Service on port 80 with the given labels. */
    public static Service service(String namespace, String name, Map<String, String> labels) {
        return new ServiceBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withType("ClusterIP").addToSelector("app", name)
                .addNewPort().withName("http").withPort(80).withNewTargetPort(8080).endPort().endSpec()
                .build();
    }

    /** One pod behind a Service, as an EndpointSlice lists it. */
    public record Pod(String name, String address, boolean ready, boolean terminating) {

        public static Pod ready(String name, String address) {
            return new Pod(name, address, true, false);
        }

        public static Pod notReady(String name, String address) {
            return new Pod(name, address, false, false);
        }

        Endpoint toEndpoint(String namespace) {
            return new EndpointBuilder()
                    .withAddresses(address)
                    .withNewConditions().withReady(ready).withServing(ready).withTerminating(terminating)
                    .endConditions()
                    .withNewTargetRef().withKind("Pod").withNamespace(namespace).withName(name).endTargetRef()
                    .build();
        }
    }

    /** An EndpointSlice of a Service, labelled with its name as the EndpointSlice controller does. */
    public static EndpointSlice endpointSlice(String namespace, String service, String sliceName, String addressType,
            List<Pod> pods) {
        return new EndpointSliceBuilder()
                .withNewMetadata().withNamespace(namespace).withName(sliceName)
                .addToLabels(SERVICE_NAME_LABEL, service).endMetadata()
                .withAddressType(addressType)
                .withEndpoints(pods.stream().map(pod -> pod.toEndpoint(namespace)).toList())
                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
                .build();
    }
}
