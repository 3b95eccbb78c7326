package io.meshpilot.agent.health;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meshpilot.agent.AgentMetrics;
import io.meshpilot.agent.AgentSettings;
import io.meshpilot.agent.kubernetes.KubernetesCalls;
import io.meshpilot.core.health.EndpointSliceSelection;
import io.meshpilot.core.routing.ClusterMeshNamespace;
import io.meshpilot.runtime.timers.KeyedTimers;
import io.meshpilot.runtime.timers.Scheduler;
import io.meshpilot.schemas.ServiceKey;
import io.github.resilience4j.core.IntervalFunction;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the managed Services of this region (by label, in every namespace or the configured ones) and every
 * EndpointSlice of a Service except those Cilium writes for remote backends, with fabric8 informers, and tells the
 * health publisher and the directive applier what changed; also, when configured, the Namespaces (Cilium's export
 * gating) and MCS-API ServiceExports. Informer events are handed to the agent's event loop, which owns all state.
 * Until every informer has listed what exists, a failed listing is retried with backoff (1 s doubling to 30 s) and
 * its reason is the watch's {@link #problem()}; once listed, the informers keep their watches up themselves.
 */
public final class ServiceWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceWatch.class);
    private static final String LIST_AGAIN = "list";
    /**
     * Informers list in pages of this many objects, as client-go's reflector does: fabric8 decodes a response on the
     * HTTP client's event loop, and one list of 10,000 EndpointSlices decoded at once blocked it for seconds.
     */
    static final long LIST_PAGE = 500;
    /** The default backoff between failed listings: 1 s doubling to 30 s. */
    public static final IntervalFunction LISTING_BACKOFF =
            IntervalFunction.ofExponentialBackoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));

    private final KubernetesClient client;
    private final Context loop;
    private final AgentSettings.Watch settings;
    private final HealthPublisher publisher;
    private final AgentMetrics metrics;
    private final ServiceInventory inventory = new ServiceInventory();
    // read from any thread, replaced while a failed listing is retried
    private final List<SharedIndexInformer<Service>> services = new CopyOnWriteArrayList<>();
    private final List<SharedIndexInformer<EndpointSlice>> slices = new CopyOnWriteArrayList<>();
    private final List<SharedIndexInformer<Namespace>> namespaces = new CopyOnWriteArrayList<>();
    private final List<SharedIndexInformer<GenericKubernetesResource>> exports = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, String>> namespaceAnnotations = new HashMap<>();
    private final Set<ServiceKey> mcsExported = new HashSet<>();
    private volatile Consumer<Service> serviceObserver = service -> { };
    private volatile Consumer<ServiceKey> mcsObserver = service -> { };
    private final IntervalFunction backoff;
    private final KeyedTimers<String> retries;
    private final CompletableFuture<Void> listed = new CompletableFuture<>();
    private int failedListings;
    private volatile String problem;
    private volatile boolean closed;
    /** Which listing the informers belong to: events of a failed one's informers, still queued, are dropped. */
    private volatile int listing;

    /** The MCS-API's ServiceExport (multicluster.x-k8s.io/v1alpha1), read to tell whether a Service is exported. */
    public static final ResourceDefinitionContext SERVICE_EXPORT = new ResourceDefinitionContext.Builder()
            .withGroup("multicluster.x-k8s.io").withVersion("v1alpha1").withKind("ServiceExport")
            .withPlural("serviceexports").withNamespaced(true).build();

    public ServiceWatch(KubernetesClient client, Context loop, AgentSettings.Watch settings,
            HealthPublisher publisher, AgentMetrics metrics) {
        this(client, loop, settings, publisher, metrics, LISTING_BACKOFF);
    }

    /** {@code backoff} gives the wait before listing again after the n-th failed listing. */
    public ServiceWatch(KubernetesClient client, Context loop, AgentSettings.Watch settings,
            HealthPublisher publisher, AgentMetrics metrics, IntervalFunction backoff) {
        this.client = client;
        this.loop = loop;
        this.settings = settings;
        this.publisher = publisher;
        this.metrics = metrics;
        this.backoff = backoff;
        this.retries = new KeyedTimers<>(Scheduler.on(loop));
        publisher.source(this::tally, inventory::managedServices);
    }

    /** Also tells this observer, on the event loop, of every managed Service seen added or changed. */
    public void observeServices(Consumer<Service> observer) {
        this.serviceObserver = observer;
    }

    /** Also tells this observer, on the event loop, of every managed Service seen becoming MCS-API exported. */
    public void observeMcsExports(Consumer<ServiceKey> observer) {
        this.mcsObserver = observer;
    }

    /**
     * Starts the informers; completes once all have listed what exists, however many listings that takes (a failed
     * one is retried with backoff, never given up): completes exceptionally only if the watch is closed first.
     */
    public CompletionStage<Void> start() {
        loop.runOnContext(ignored -> list());
        return listed;
    }

    /** Why the informers have not listed yet, if a listing failed; safe from any thread. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** On the loop: makes the informers and starts them on a worker (starting them may block). */
    private void list() {
        if (closed) {
            return;
        }
        loop.<CompletableFuture<Void>>executeBlocking(this::startInformers, false)
                .toCompletionStage().thenCompose(started -> started)
                .whenComplete((ignored, failure) -> loop.runOnContext(done -> listedOrFailed(failure)));
    }

    private void listedOrFailed(Throwable failure) {
        if (closed) {
            return;
        }
        if (failure == null) {
            problem = null;
            listed.complete(null);
            return;
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        failedListings++;
        Duration retryIn = Duration.ofMillis(backoff.apply(failedListings));
        problem = "cannot list Services and EndpointSlices (" + failedListings + " failed listings, next in "
                + retryIn.toMillis() + " ms): " + KubernetesCalls.describe(cause);
        LOG.atWarn().addKeyValue("attempt", failedListings).addKeyValue("retryIn", retryIn)
                .addKeyValue("error", KubernetesCalls.describe(cause))
                .log("cannot list Services and EndpointSlices; listing again");
        closeInformers();
        listing++;
        inventory.clear();
        metrics.managedServices(0);
        retries.schedule(LIST_AGAIN, retryIn, this::list);
    }

    private synchronized CompletableFuture<Void> startInformers() {
        if (closed) {
            return listed;
        }
        for (FilterWatchListDeletable<Service, ?, ?> scope : scopes(client.services())) {
            services.add(informer(scope.withLabels(settings.managedLabels()).withLimit(LIST_PAGE).<Service>runnableInformer(0)
                    .itemStore(new SlimStore<>(SlimStore.SERVICES)).removeNamespaceIndex(),
                    handler(this::serviceSeen, this::serviceGone)));
        }
        for (FilterWatchListDeletable<EndpointSlice, ?, ?> scope : scopes(client.discovery().v1().endpointSlices())) {
            // as Cilium's own watchers do: never the slices Cilium writes for other clusters' backends
            slices.add(informer(scope.withLabel(EndpointSliceSelection.SERVICE_NAME)
                    .withoutLabel(EndpointSliceSelection.MANAGED_BY, EndpointSliceSelection.CILIUM_MESH_CONTROLLER)
                    .withLimit(LIST_PAGE).<EndpointSlice>runnableInformer(0).itemStore(new SlimStore<>(SlimStore.SLICES))
                    .removeNamespaceIndex(),
                    handler(this::sliceSeen, this::sliceGone)));
        }
        if (settings.namespaceExport() != AgentSettings.NamespaceExport.IGNORED) {
            if (settings.namespaces().isEmpty()) {
                namespaces.add(informer(client.namespaces().withLimit(LIST_PAGE).runnableInformer(0),
                        handler(this::namespaceSeen, this::namespaceGone)));
            } else {
                settings.namespaces().forEach(name -> namespaces.add(informer(client.namespaces().withName(name)
                        .runnableInformer(0), handler(this::namespaceSeen, this::namespaceGone))));
            }
        }
        if (settings.mcsApi()) {
            for (FilterWatchListDeletable<GenericKubernetesResource, ?, ?> scope
                    : scopes(client.genericKubernetesResources(SERVICE_EXPORT))) {
                exports.add(informer(scope.withLimit(LIST_PAGE).runnableInformer(0), handler(this::exportSeen, this::exportGone)));
            }
        }
        List<CompletableFuture<Void>> started = new ArrayList<>();
        services.forEach(informer -> started.add(informer.start().toCompletableFuture()));
        slices.forEach(informer -> started.add(informer.start().toCompletableFuture()));
        namespaces.forEach(informer -> started.add(informer.start().toCompletableFuture()));
        exports.forEach(informer -> started.add(informer.start().toCompletableFuture()));
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
    }

    private static <T> SharedIndexInformer<T> informer(SharedIndexInformer<T> informer,
            ResourceEventHandler<? super T> handler) {
        informer.addEventHandler(handler);
        return informer;
    }

    private <T extends HasMetadata> List<FilterWatchListDeletable<T, ?, ?>> scopes(MixedOperation<T, ?, ?> all) {
        if (settings.namespaces().isEmpty()) {
            return List.of(all.inAnyNamespace());
        }
        return settings.namespaces().stream().<FilterWatchListDeletable<T, ?, ?>>map(all::inNamespace).toList();
    }

    /** Whether every informer has listed what exists; safe from any thread. */
    public boolean synced() {
        return !services.isEmpty() && services.stream().allMatch(SharedIndexInformer::hasSynced)
                && slices.stream().allMatch(SharedIndexInformer::hasSynced)
                && namespaces.stream().allMatch(SharedIndexInformer::hasSynced)
                && exports.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** The managed Service with this key as the informers last saw it, if any; safe from any thread. */
    public Optional<Service> service(ServiceKey key) {
        String storeKey = key.namespace() + "/" + key.name();
        return services.stream().map(informer -> informer.getStore().getByKey(storeKey))
                .filter(Objects::nonNull).findFirst();
    }

    /**
     * The one key instance the agent keeps for this Service, so that the maps keyed by it (the inventory's, the
     * applier's, the status reporter's) share it; the key given when the Service is not known. Call on the event loop.
     */
    public ServiceKey key(ServiceKey key) {
        return inventory.key(key);
    }

    /** The managed Services also exported through the MCS-API; call on the event loop. */
    public Set<ServiceKey> mcsExportedServices() {
        return mcsExported.stream().filter(inventory::isManaged).collect(java.util.stream.Collectors.toSet());
    }

    /** What to publish of the Service if it is managed; call on the event loop. */
    Optional<ServiceObservation> tally(ServiceKey key) {
        return inventory.isManaged(key)
                ? Optional.of(new ServiceObservation(inventory.tally(key), exportable(key), mcsExported.contains(key)))
                : Optional.empty();
    }

    /**
     * Whether this cluster's Cilium exports the Service as far as its Namespace goes; a Namespace not yet seen does
     * not (Cilium does not export until it knows it).
     */
    private boolean exportable(ServiceKey key) {
        AgentSettings.NamespaceExport mode = settings.namespaceExport();
        if (mode == AgentSettings.NamespaceExport.IGNORED) {
            return true;
        }
        Map<String, String> annotations = namespaceAnnotations.get(key.namespace());
        return annotations != null
                && ClusterMeshNamespace.isGlobal(annotations, mode == AgentSettings.NamespaceExport.GLOBAL_BY_DEFAULT);
    }

    private void namespaceSeen(Namespace namespace) {
        Map<String, String> annotations = new HashMap<>();
        if (namespace.getMetadata().getAnnotations() != null) {
            namespace.getMetadata().getAnnotations().forEach((name, value) -> {
                if (value != null) {
                    annotations.put(name, value);
                }
            });
        }
        namespaceAnnotations.put(namespace.getMetadata().getName(), annotations);
        changedIn(namespace.getMetadata().getName());
    }

    private void namespaceGone(Namespace namespace) {
        namespaceAnnotations.remove(namespace.getMetadata().getName());
        changedIn(namespace.getMetadata().getName());
    }

    private void changedIn(String namespace) {
        inventory.managedServices().stream().filter(key -> key.namespace().equals(namespace))
                .forEach(publisher::changed);
    }

    private void exportSeen(GenericKubernetesResource export) {
        ServiceKey key = keyOf(export);
        if (mcsExported.add(key) && inventory.isManaged(key)) {
            changed(key);
            mcsObserver.accept(key);
        }
    }

    private void exportGone(GenericKubernetesResource export) {
        ServiceKey key = keyOf(export);
        if (mcsExported.remove(key)) {
            changedIfManaged(key);
        }
    }

    private void serviceSeen(Service service) {
        ServiceKey key = keyOf(service);
        if (inventory.manage(key)) {
            metrics.managedServices(inventory.managedCount());
            changed(key);
            if (mcsExported.contains(key)) {
                mcsObserver.accept(key);
            }
        }
        serviceObserver.accept(service);
    }

    private void serviceGone(Service service) {
        ServiceKey key = keyOf(service);
        if (inventory.release(key)) {
            metrics.managedServices(inventory.managedCount());
            changed(key);
        }
    }

    private void sliceSeen(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        if (labels == null || !EndpointSliceSelection.counts(labels)) {
            sliceGone(slice); // relabelled out of the selection: its endpoints are not this region's
            return;
        }
        EndpointSliceReader.serviceOf(slice).ifPresent(key -> {
            // interned: the slices' informer store keeps the same name
            inventory.putSlice(key, slice.getMetadata().getName().intern(), EndpointSliceReader.endpoints(slice));
            changedIfManaged(key);
        });
    }

    private void sliceGone(EndpointSlice slice) {
        // a slice found gone by a re-list comes from the informer's slim store, without its labels
        EndpointSliceReader.serviceOf(slice)
                .or(() -> inventory.serviceOfSlice(slice.getMetadata().getNamespace(), slice.getMetadata().getName()))
                .ifPresent(key -> {
                    inventory.removeSlice(key, slice.getMetadata().getName());
                    changedIfManaged(key);
                });
    }

    private void changedIfManaged(ServiceKey key) {
        if (inventory.isManaged(key)) {
            changed(key);
        }
    }

    /** The publisher keeps the key for every Service it published: the inventory's instance, not the event's. */
    private void changed(ServiceKey key) {
        publisher.changed(inventory.key(key));
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> seen, Consumer<T> gone) {
        int of = listing;
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                onLoop(of, () -> seen.accept(object));
            }

            @Override
            public void onUpdate(T previous, T current) {
                onLoop(of, () -> seen.accept(current));
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                onLoop(of, () -> gone.accept(object));
            }
        };
    }

    private void onLoop(int of, Runnable action) {
        loop.runOnContext(ignored -> {
            if (of == listing) {
                action.run();
            }
        });
    }

    /**
     * The key, its names interned: they are held in every key of every map, and the codec interns the same names in
     * the directives it decodes, so one copy of each serves them all.
     */
    static ServiceKey keyOf(HasMetadata object) {
        return new ServiceKey(object.getMetadata().getNamespace().intern(), object.getMetadata().getName().intern());
    }

    @Override
    public void close() {
        closed = true;
        listed.completeExceptionally(new IllegalStateException("the watch was closed before it listed"));
        loop.runOnContext(ignored -> retries.cancelAll());
        closeInformers();
    }

    private synchronized void closeInformers() {
        services.forEach(SharedIndexInformer::close);
        slices.forEach(SharedIndexInformer::close);
        namespaces.forEach(SharedIndexInformer::close);
        exports.forEach(SharedIndexInformer::close);
        services.clear();
        slices.clear();
        namespaces.clear();
        exports.clear();
    }
}
