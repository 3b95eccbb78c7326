package io.meshpilot.agent.health;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer's store that keeps of each object only what the agent reads back, keyed {@code namespace/name} as
 * fabric8's own stores are: of a Service its resourceVersion, uid and annotations (the applier patches from them,
 * Events name the uid), of an EndpointSlice its resourceVersion (its endpoints live in the {@link ServiceInventory},
 * tallied). Whole objects, with spec and managedFields, cost several KB per Service; this costs a few hundred bytes.
 * What it gives back is the object with just those fields.
 */
final class SlimStore<T extends HasMetadata, K> implements ItemStore<T> {

    /** What is kept of an object, and the object made again from it. */
    interface Shape<T, K> {
        K keep(T object);

        T restore(String namespace, String name, K kept);
    }

    /** A Service's resourceVersion, uid and annotations (null when it has none). */
    record ServiceState(String resourceVersion, String uid, Map<String, String> annotations) {
    }

    static final Shape<Service, ServiceState> SERVICES = new Shape<>() {
        @Override
        public ServiceState keep(Service service) {
            Map<String, String> annotations = service.getMetadata().getAnnotations();
            return new ServiceState(service.getMetadata().getResourceVersion(), service.getMetadata().getUid(),
                    annotations == null || annotations.isEmpty() ? null : interned(annotations));
        }

        @Override
        public Service restore(String namespace, String name, ServiceState kept) {
            return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                    .withResourceVersion(kept.resourceVersion()).withUid(kept.uid())
                    .withAnnotations(kept.annotations() == null ? null : new HashMap<>(kept.annotations()))
                    .endMetadata().build();
        }
    };

    static final Shape<EndpointSlice, String> SLICES = new Shape<>() {
        @Override
        public String keep(EndpointSlice slice) {
            return slice.getMetadata().getResourceVersion();
        }

        @Override
        public EndpointSlice restore(String namespace, String name, String resourceVersion) {
            return new EndpointSliceBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                    .withResourceVersion(resourceVersion).endMetadata().build();
        }
    };

    private final Shape<T, K> shape;
    private final ConcurrentHashMap<String, K> kept = new ConcurrentHashMap<>();

    SlimStore(Shape<T, K> shape) {
        this.shape = shape;
    }

    @Override
    public String getKey(T object) {
        String namespace = object.getMetadata().getNamespace();
        return namespace == null ? object.getMetadata().getName() : namespace + "/" + object.getMetadata().getName();
    }

    @Override
    public T put(String key, T object) {
        return restore(key, kept.put(key, shape.keep(object)));
    }

    @Override
    public T remove(String key) {
        return restore(key, kept.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return kept.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return kept.entrySet().stream().map(entry -> shape.restore(namespaceOf(entry.getKey()),
                nameOf(entry.getKey()), entry.getValue()));
    }

    @Override
    public int size() {
        return kept.size();
    }

    @Override
    public T get(String key) {
        return restore(key, kept.get(key));
    }

    /** Not the whole objects. */
    @Override
    public boolean isFullState() {
        return false;
    }

    private T restore(String key, K value) {
        return value == null ? null : shape.restore(namespaceOf(key), nameOf(key), value);
    }

    private static String namespaceOf(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? null : key.substring(0, slash);
    }

    private static String nameOf(String key) {
        return key.substring(key.indexOf('/') + 1);
    }

    /** Annotation names repeat on every Service: one copy of each. */
    private static Map<String, String> interned(Map<String, String> annotations) {
        Map<String, String> copy = new HashMap<>(annotations.size() * 2);
        annotations.forEach((name, value) -> {
            if (value != null) {
                copy.put(name.intern(), value);
            }
        });
        return Map.copyOf(copy);
    }
}
