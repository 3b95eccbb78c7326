package io.meshpilot.benchmarks.endtoend;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meshpilot.embedded.kubernetes.real.RealApiServer;
import io.meshpilot.schemas.KubernetesContract;
import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The harness's side of one real region: it writes the Services and their EndpointSlices with a plain client (as the
 * EndpointSlice controller would), and watches the Services' annotations, telling the listener each affinity the
 * agent applied the moment the watch shows it. Services are headless and selectorless, so nothing but the harness
 * writes their slices, and at the outage the API server deletes them all.
 */
final class LoadedRegion implements AutoCloseable {

    static final String NAMESPACE = "load";
    static final String AFFINITY = "service.cilium.io/affinity";
    /** Which of the outage's deletions removes a slice: the slices are split into this many label groups. */
    static final String OUTAGE_GROUP = "bench.meshpilot.io/outage-group";
    static final int OUTAGE_GROUPS = 16;
    private static final String SLICE_SUFFIX = "-a";
    private static final Duration OUTAGE_REQUEST_TIMEOUT = Duration.ofMinutes(10);

    /** Told each new affinity a Service was seen to carry once it carries a directive version. */
    interface AppliedListener {
        void applied(String region, ServiceKey service, String affinity, long nanos);
    }

    private final String name;
    private final RealApiServer api;
    private final KubernetesClient client;
    private final int services;
    private final Map<ServiceKey, Integer> ready = new ConcurrentHashMap<>();
    private final Map<ServiceKey, String> affinity = new ConcurrentHashMap<>();
    private final AtomicInteger home = new AtomicInteger();
    private SharedIndexInformer<Service> watch;

    private final HttpClient.Factory http;

    /** {@code http} makes the harness's clients (the harness's own Vert.x, apart from the agents'). */
    LoadedRegion(String name, RealApiServer api, int services, HttpClient.Factory http) {
        this.name = name;
        this.api = api;
        this.http = http;
        this.client = client(api, http);
        this.services = services;
    }

    String name() {
        return name;
    }

    RealApiServer api() {
        return api;
    }

    KubernetesClient client() {
        return client;
    }

    /** An admin client of the region that may send 64 requests at once (fabric8 allows 5 by default). */
    static KubernetesClient client(RealApiServer api, HttpClient.Factory http) {
        return new KubernetesClientBuilder().withHttpClientFactory(http).withConfig(new ConfigBuilder(api
                .clientConfig()).withMaxConcurrentRequests(64).withMaxConcurrentRequestsPerHost(64).build()).build();
    }

    static ServiceKey key(int index) {
        return new ServiceKey(NAMESPACE, String.format("svc-%05d", index));
    }

    /** Creates the namespace and every managed Service with a slice of two ready endpoints, in parallel. */
    void create(ExecutorService pool) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                .build()).serverSideApply();
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            ServiceKey service = key(i);
            writes.add(pool.submit(() -> {
                client.services().resource(new ServiceBuilder().withNewMetadata().withName(service.name())
                        .withNamespace(NAMESPACE).addToLabels(KubernetesContract.MANAGED_LABEL, "true").endMetadata()
                        .withNewSpec().withClusterIP("None").addNewPort().withName("http").withPort(80).endPort()
                        .endSpec().build()).create();
                client.discovery().v1().endpointSlices().resource(new EndpointSliceBuilder().withNewMetadata()
                        .withName(service.name() + SLICE_SUFFIX).withNamespace(NAMESPACE)
                        .addToLabels("kubernetes.io/service-name", service.name())
                        .addToLabels(OUTAGE_GROUP, Integer.toString(group(service))).endMetadata()
                        .withAddressType("IPv4").withEndpoints(endpoints(service, 2)).addNewPort().withName("http")
                        .withPort(80).withProtocol("TCP").endPort().build()).create();
                ready.put(service, 2);
            }));
        }
        for (Future<?> write : writes) {
            try {
                write.get(10, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the Services of " + name + ": " + e, e);
            }
        }
    }

    /** Watches the Services' annotations from now on. */
    void watch(AppliedListener listener) {
        watch = client.services().inNamespace(NAMESPACE).withLimit(500L).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Service service) {
                seen(service, listener);
            }

            @Override
            public void onUpdate(Service before, Service service) {
                seen(service, listener);
            }

            @Override
            public void onDelete(Service service, boolean unknown) {
            }
        }, 0);
    }

    private void seen(Service service, AppliedListener listener) {
        long now = System.nanoTime();
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        if (annotations == null || !annotations.containsKey(KubernetesContract.DIRECTIVE_VERSION_ANNOTATION)) {
            return;
        }
        ServiceKey key = new ServiceKey(NAMESPACE, service.getMetadata().getName());
        String carried = annotations.getOrDefault(AFFINITY, "balanced");
        String before = affinity.put(key, carried);
        if (!carried.equals(before)) {
            if ("local".equals(carried)) {
                home.incrementAndGet();
            } else if ("local".equals(before)) {
                home.decrementAndGet();
            }
            listener.applied(name, key, carried, now);
        }
    }

    /** Services the watch shows with affinity local. */
    int home() {
        return home.get();
    }

    int ready(ServiceKey service) {
        return ready.getOrDefault(service, 0);
    }

    /** Writes the Service's slice with {@code count} ready endpoints out of two (blocking). */
    void setReady(ServiceKey service, int count) {
        ready.put(service, count);
        client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).withName(service.name() + SLICE_SUFFIX)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"endpoints\":" + endpointsJson(service, count)
                        + "}");
    }

    /**
     * The region's outage: every Service's slice is deleted by the API server itself, {@value #OUTAGE_GROUPS}
     * collection deletions at once (one per label group, so that no single request runs into a timeout), as every pod
     * of the region going away leaves each Service with no endpoint. Returns when the API server has answered them
     * all, every slice deleted.
     */
    void deleteAllSlices(ExecutorService pool) {
        try (KubernetesClient outage = new KubernetesClientBuilder().withHttpClientFactory(http)
                .withConfig(new ConfigBuilder(api.clientConfig()).withRequestTimeout((int) OUTAGE_REQUEST_TIMEOUT
                        .toMillis()).build()).build()) {
            List<Future<?>> deletions = new ArrayList<>();
            for (int group = 0; group < OUTAGE_GROUPS; group++) {
                String value = Integer.toString(group);
                deletions.add(pool.submit(() -> outage.discovery().v1().endpointSlices().inNamespace(NAMESPACE)
                        .withLabel(OUTAGE_GROUP, value).delete()));
            }
            for (Future<?> deletion : deletions) {
                deletion.get(OUTAGE_REQUEST_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting the slices of " + name, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot delete the slices of " + name + ": " + e, e);
        }
        ready.replaceAll((service, count) -> 0);
    }

    private static int group(ServiceKey service) {
        return Integer.parseInt(service.name().substring(4)) % OUTAGE_GROUPS;
    }

    private static List<Endpoint> endpoints(ServiceKey service, int ready) {
        List<Endpoint> endpoints = new ArrayList<>();
        int index = Integer.parseInt(service.name().substring(4));
        for (int pod = 0; pod < 2; pod++) {
            endpoints.add(new EndpointBuilder().withAddresses(address(index, pod))
                    .withNewConditions().withReady(pod < ready).withServing(pod < ready).withTerminating(false)
                    .endConditions().build());
        }
        return endpoints;
    }

    private static String endpointsJson(ServiceKey service, int ready) {
        int index = Integer.parseInt(service.name().substring(4));
        StringBuilder json = new StringBuilder("[");
        for (int pod = 0; pod < 2; pod++) {
            boolean up = pod < ready;
            json.append(pod == 0 ? "" : ",").append("{\"addresses\":[\"").append(address(index, pod))
                    .append("\"],\"conditions\":{\"ready\":").append(up).append(",\"serving\":").append(up)
                    .append(",\"terminating\":false}}");
        }
        return json.append(']').toString();
    }

    private static String address(int index, int pod) {
        return "10." + (200 + pod) + "." + (index / 256) % 256 + "." + index % 256;
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        client.close();
    }
}
