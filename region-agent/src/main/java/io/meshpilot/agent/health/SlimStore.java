package io.meshpilot.agent.health;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.meshpilot.agent.directives.OwnedAnnotations;
import io.meshpilot.schemas.KubernetesContract;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer's store that keeps of each object only what the agent reads back, keyed {@code namespace/name} as
 * fabric8's own stores are: of a Service its resourceVersion, uid and the annotations meshpilot owns (the applier
 * patches from them, Events name the uid), of an EndpointSlice its resourceVersion (its endpoints live in the
 * {@link ServiceInventory}, tallied). Whole objects, with spec and managedFields, cost several KB per Service (a
 * {@code kubectl apply}'s last-applied-configuration alone is the whole object again); this costs about 150 bytes.
 * What it gives back is the object with just those fields.
 */
final class SlimStore<T extends HasMetadata, K> implements ItemStore<T> {

    /** What is kept of an object, and the object made again from it. */
    interface Shape<T, K> {
        K keep(T object);

        T restore(String namespace, String name, K kept);
    }

    /**
     * A Service's resourceVersion, uid and owned annotations (null when it has none). The directive version, different
     * on almost every Service, is kept apart as a number ({@link #NO_VERSION} when absent or not written as one), so
     * that the rest, the same on most Services ({@code global}, {@code shared}, {@code affinity}), is one shared map.
     */
    record ServiceState(CompactText resourceVersion, CompactText uid, Map<String, String> annotations,
            long directiveVersion) {

        static final long NO_VERSION = -1;

        Map<String, String> allAnnotations() {
            if (directiveVersion == NO_VERSION) {
                return annotations == null ? null : new HashMap<>(annotations);
            }
            Map<String, String> all = annotations == null ? new HashMap<>() : new HashMap<>(annotations);
            all.put(KubernetesContract.DIRECTIVE_VERSION_ANNOTATION, Long.toString(directiveVersion));
            return all;
        }
    }

    static final Shape<Service, ServiceState> SERVICES = new Shape<>() {
        @Override
        public ServiceState keep(Service service) {
            Map<String, String> annotations = service.getMetadata().getAnnotations();
            long version = directiveVersion(annotations);
            return new ServiceState(CompactText.of(service.getMetadata().getResourceVersion()),
                    CompactText.of(service.getMetadata().getUid()), owned(annotations, version != NO_VERSION),
                    version);
        }

        @Override
        public Service restore(String namespace, String name, ServiceState kept) {
            return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                    .withResourceVersion(text(kept.resourceVersion())).withUid(text(kept.uid()))
                    .withAnnotations(kept.allAnnotations())
                    .endMetadata().build();
        }
    };

    static final Shape<EndpointSlice, CompactText> SLICES = new Shape<>() {
        @Override
        public CompactText keep(EndpointSlice slice) {
            return CompactText.of(slice.getMetadata().getResourceVersion());
        }

        @Override
        public EndpointSlice restore(String namespace, String name, CompactText resourceVersion) {
            return new EndpointSliceBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                    .withResourceVersion(text(resourceVersion)).endMetadata().build();
        }
    };

    /** Owned annotations' values are short (a boolean, an affinity, a version); a longer one is kept, not shared. */
    private static final int SHARED_VALUE = 64;
    /** Distinct sets of owned annotations shared between Services, at most: the rest keep their own copy. */
    static final int SHARED_MAPS = 1024;
    private static final Map<Map<String, String>, Map<String, String>> SHARED = new ConcurrentHashMap<>();
    private static final long NO_VERSION = ServiceState.NO_VERSION;

    /**
     * An object's namespace and name, each one shared instance ({@link String#intern}): a {@code namespace/name}
     * string per object would be a copy of both, and the inventory keeps the same slice names.
     */
    private record Name(String namespace, String name) {

        static Name of(HasMetadata object) {
            String namespace = object.getMetadata().getNamespace();
            return new Name(namespace == null ? null : namespace.intern(), object.getMetadata().getName().intern());
        }

        static Name parse(String key) {
            int slash = key.indexOf('/');
            return slash < 0 ? new Name(null, key) : new Name(key.substring(0, slash), key.substring(slash + 1));
        }

        @Override
        public String toString() {
            return namespace == null ? name : namespace + "/" + name;
        }
    }

    private final Shape<T, K> shape;
    private final ConcurrentHashMap<Name, K> kept = new ConcurrentHashMap<>();

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
        Name name = Name.of(object);
        return restore(name, kept.put(name, shape.keep(object)));
    }

    @Override
    public T remove(String key) {
        Name name = Name.parse(key);
        return restore(name, kept.remove(name));
    }

    @Override
    public Stream<String> keySet() {
        return kept.keySet().stream().map(Name::toString);
    }

    @Override
    public Stream<T> values() {
        return kept.entrySet().stream().map(entry -> restore(entry.getKey(), entry.getValue()));
    }

    @Override
    public int size() {
        return kept.size();
    }

    @Override
    public T get(String key) {
        Name name = Name.parse(key);
        return restore(name, kept.get(name));
    }

    /** Not the whole objects. */
    @Override
    public boolean isFullState() {
        return false;
    }

    private T restore(Name name, K value) {
        return value == null ? null : shape.restore(name.namespace(), name.name(), value);
    }

    private static String text(CompactText kept) {
        return kept == null ? null : kept.text();
    }

    /**
     * The annotations meshpilot owns (the Cilium ones and their legacy aliases, and the directive version unless it is
     * kept as a number), or null when there are none. Their names and values ({@code true}, {@code local}) repeat on
     * every Service: one copy of each, and one map for each combination, up to {@value #SHARED_MAPS} of them.
     */
    private static Map<String, String> owned(Map<String, String> annotations, boolean versionKeptApart) {
        if (annotations == null || annotations.isEmpty()) {
            return null;
        }
        Map<String, String> copy = new HashMap<>();
        annotations.forEach((name, value) -> {
            boolean version = KubernetesContract.DIRECTIVE_VERSION_ANNOTATION.equals(name);
            if (value != null && OwnedAnnotations.isOwned(name) && !(version && versionKeptApart)) {
                copy.put(name.intern(), value.length() <= SHARED_VALUE ? value.intern() : value);
            }
        });
        if (copy.isEmpty()) {
            return null;
        }
        Map<String, String> owned = Map.copyOf(copy);
        Map<String, String> shared = SHARED.get(owned);
        if (shared != null) {
            return shared;
        }
        if (SHARED.size() >= SHARED_MAPS) {
            return owned;
        }
        shared = SHARED.putIfAbsent(owned, owned);
        return shared == null ? owned : shared;
    }

    /** The directive version a Service carries, if written as meshpilot writes it (a plain decimal number). */
    private static long directiveVersion(Map<String, String> annotations) {
        String value = annotations == null ? null : annotations.get(KubernetesContract.DIRECTIVE_VERSION_ANNOTATION);
        if (value == null) {
            return NO_VERSION;
        }
        try {
            long version = Long.parseLong(value);
            return version >= 0 && Long.toString(version).equals(value) ? version : NO_VERSION;
        } catch (NumberFormatException e) {
            return NO_VERSION;
        }
    }
}
