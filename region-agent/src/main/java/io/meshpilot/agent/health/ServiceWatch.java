package io.meshpilot.agent.health;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meshpilot.schemas.ServiceKey;
import io.vertx.core.Context;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Watches the managed Services of this region and every EndpointSlice of a Service, with fabric8 informers, and
 * keeps their health published. Informer events are handed to the agent's event loop, which owns all state.
 */
public final class ServiceWatch implements AutoCloseable {

    private final KubernetesClient client;
    private final Context loop;
    private final Map<String, String> managedLabels;
    private final HealthPublisher publisher;
    private final ServiceInventory inventory = new ServiceInventory();
    private SharedIndexInformer<Service> services;
    private SharedIndexInformer<EndpointSlice> slices;

    public ServiceWatch(KubernetesClient client, Context loop, Map<String, String> managedLabels,
            HealthPublisher publisher) {
        this.client = client;
        this.loop = loop;
        this.managedLabels = Map.copyOf(managedLabels);
        this.publisher = publisher;
    }

    /** Starts both informers; completes once both have listed what exists. */
    public CompletionStage<Void> start() {
        services = client.services().inAnyNamespace().withLabels(managedLabels)
                .inform(handler(this::serviceSeen, this::serviceGone), 0);
        slices = client.discovery().v1().endpointSlices().inAnyNamespace()
                .withLabel(EndpointSliceReader.SERVICE_NAME_LABEL)
                .inform(handler(this::sliceSeen, this::sliceGone), 0);
        return CompletableFuture.allOf(services.start().toCompletableFuture(), slices.start().toCompletableFuture());
    }

    /** How many Services this agent manages; call on the agent's event loop. */
    public int managedCount() {
        return inventory.managedServices().size();
    }

    /** The managed Service with this key as the informer last saw it, if any; safe from any thread. */
    public Optional<Service> service(ServiceKey key) {
        return Optional.ofNullable(services.getStore().getByKey(key.namespace() + "/" + key.name()));
    }

    private void serviceSeen(Service service) {
        ServiceKey key = keyOf(service);
        inventory.manage(key);
        publisher.publish(key, inventory.tally(key));
    }

    private void serviceGone(Service service) {
        ServiceKey key = keyOf(service);
        if (inventory.release(key)) {
            publisher.withdraw(key);
        }
    }

    private void sliceSeen(EndpointSlice slice) {
        EndpointSliceReader.serviceOf(slice).ifPresent(key -> {
            inventory.putSlice(key, slice.getMetadata().getName(), EndpointSliceReader.endpoints(slice));
            republishIfManaged(key);
        });
    }

    private void sliceGone(EndpointSlice slice) {
        EndpointSliceReader.serviceOf(slice).ifPresent(key -> {
            inventory.removeSlice(key, slice.getMetadata().getName());
            republishIfManaged(key);
        });
    }

    private void republishIfManaged(ServiceKey key) {
        if (inventory.isManaged(key)) {
            publisher.publish(key, inventory.tally(key));
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
        if (services != null) {
            services.close();
        }
        if (slices != null) {
            slices.close();
        }
    }
}
