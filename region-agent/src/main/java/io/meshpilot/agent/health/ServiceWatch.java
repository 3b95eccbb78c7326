package io.meshpilot.agent.health;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meshpilot.agent.AgentMetrics;
import io.meshpilot.agent.AgentSettings;
import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.schemas.ServiceKey;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Watches the managed Services of this region (by label, in every namespace or the configured ones) and every
 * EndpointSlice of a Service, with fabric8 informers, and tells the health publisher and the directive applier what
 * changed. Informer events are handed to the agent's event loop, which owns all state.
 */
public final class ServiceWatch implements AutoCloseable {

    private final KubernetesClient client;
    private final Context loop;
    private final AgentSettings.Watch settings;
    private final HealthPublisher publisher;
    private final AgentMetrics metrics;
    private final ServiceInventory inventory = new ServiceInventory();
    private final List<SharedIndexInformer<Service>> services = new ArrayList<>();
    private final List<SharedIndexInformer<EndpointSlice>> slices = new ArrayList<>();
    private volatile Consumer<Service> serviceObserver = service -> { };

    public ServiceWatch(KubernetesClient client, Context loop, AgentSettings.Watch settings,
            HealthPublisher publisher, AgentMetrics metrics) {
        this.client = client;
        this.loop = loop;
        this.settings = settings;
        this.publisher = publisher;
        this.metrics = metrics;
        publisher.source(this::tally, inventory::managedServices);
    }

    /** Also tells this observer, on the event loop, of every managed Service seen added or changed. */
    public void observeServices(Consumer<Service> observer) {
        this.serviceObserver = observer;
    }

    /** Starts the informers; completes once all have listed what exists. */
    public CompletionStage<Void> start() {
        for (FilterWatchListDeletable<Service, ?, ?> scope : scopes(client.services())) {
            services.add(scope.withLabels(settings.managedLabels())
                    .inform(handler(this::serviceSeen, this::serviceGone), 0));
        }
        for (FilterWatchListDeletable<EndpointSlice, ?, ?> scope : scopes(client.discovery().v1().endpointSlices())) {
            slices.add(scope.withLabel(EndpointSliceReader.SERVICE_NAME_LABEL)
                    .inform(handler(this::sliceSeen, this::sliceGone), 0));
        }
        List<CompletableFuture<Void>> started = new ArrayList<>();
        services.forEach(informer -> started.add(informer.start().toCompletableFuture()));
        slices.forEach(informer -> started.add(informer.start().toCompletableFuture()));
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
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
                && slices.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** The managed Service with this key as the informers last saw it, if any; safe from any thread. */
    public Optional<Service> service(ServiceKey key) {
        String storeKey = key.namespace() + "/" + key.name();
        return services.stream().map(informer -> informer.getStore().getByKey(storeKey))
                .filter(Objects::nonNull).findFirst();
    }

    /** The Service's endpoint tally if it is managed; call on the event loop. */
    public Optional<EndpointTally> tally(ServiceKey key) {
        return inventory.isManaged(key) ? Optional.of(inventory.tally(key)) : Optional.empty();
    }

    private void serviceSeen(Service service) {
        ServiceKey key = keyOf(service);
        if (inventory.manage(key)) {
            metrics.managedServices(inventory.managedServices().size());
            publisher.changed(key);
        }
        serviceObserver.accept(service);
    }

    private void serviceGone(Service service) {
        ServiceKey key = keyOf(service);
        if (inventory.release(key)) {
            metrics.managedServices(inventory.managedServices().size());
            publisher.changed(key);
        }
    }

    private void sliceSeen(EndpointSlice slice) {
        EndpointSliceReader.serviceOf(slice).ifPresent(key -> {
            inventory.putSlice(key, slice.getMetadata().getName(), EndpointSliceReader.endpoints(slice));
            changedIfManaged(key);
        });
    }

    private void sliceGone(EndpointSlice slice) {
        EndpointSliceReader.serviceOf(slice).ifPresent(key -> {
            inventory.removeSlice(key, slice.getMetadata().getName());
            changedIfManaged(key);
        });
    }

    private void changedIfManaged(ServiceKey key) {
        if (inventory.isManaged(key)) {
            publisher.changed(key);
        }
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> seen, Consumer<T> gone) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                loop.runOnContext(ignored -> seen.accept(object));
            }

            @Override
            public void onUpdate(T previous, T current) {
                loop.runOnContext(ignored -> seen.accept(current));
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                loop.runOnContext(ignored -> gone.accept(object));
            }
        };
    }

    static ServiceKey keyOf(HasMetadata object) {
        return new ServiceKey(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    @Override
    public void close() {
        services.forEach(SharedIndexInformer::close);
        slices.forEach(SharedIndexInformer::close);
    }
}
