package io.meshpilot.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the informers keep of a Service and an EndpointSlice, and give back. */
class SlimStoreTest {

    @Test
    void keepsOfAServiceWhatTheApplierReadsBack() {
        SlimStore<Service, SlimStore.ServiceState> store = new SlimStore<>(SlimStore.SERVICES);
        Service service = new ServiceBuilder().withNewMetadata().withNamespace("default").withName("hello-world")
                .withResourceVersion("42").withUid("uid-1").addToLabels("meshpilot.io/managed", "true")
                .addToAnnotations("service.cilium.io/affinity", "local")
                .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{\"kind\":\"Service\"}")
                .addToAnnotations("meshpilot.io/directive-version", "7")
                .addToAnnotations("io.cilium/service-affinity", "x".repeat(100)).endMetadata().withNewSpec()
                .withClusterIP("10.0.0.1").endSpec().build();

        assertThat(store.put(store.getKey(service), service)).isNull();

        Service kept = store.get("default/hello-world");
        assertThat(kept.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(kept.getMetadata().getName()).isEqualTo("hello-world");
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(kept.getMetadata().getUid()).isEqualTo("uid-1");
        assertThat(kept.getMetadata().getAnnotations()).as("only the owned ones")
                .isEqualTo(Map.of("service.cilium.io/affinity", "local", "meshpilot.io/directive-version", "7",
                        "io.cilium/service-affinity", "x".repeat(100)));
        assertThat(kept.getSpec()).isNull();
        assertThat(store.keySet()).containsExactly("default/hello-world");
        assertThat(store.values()).hasSize(1);
        assertThat(store.isFullState()).isFalse();
    }

    @Test
    void keepsOfASliceItsResourceVersionAndGivesThePreviousBackOnPutAndRemove() {
        SlimStore<EndpointSlice, CompactText> store = new SlimStore<>(SlimStore.SLICES);
        EndpointSlice first = slice("1");
        store.put(store.getKey(first), first);

        EndpointSlice previous = store.put("load/svc-00001-a", slice("2"));

        assertThat(previous.getMetadata().getResourceVersion()).isEqualTo("1");
        assertThat(store.get("load/svc-00001-a").getMetadata().getResourceVersion()).isEqualTo("2");
        assertThat(store.remove("load/svc-00001-a").getMetadata().getName()).isEqualTo("svc-00001-a");
        assertThat(store.size()).isZero();
        assertThat(store.get("load/svc-00001-a")).isNull();
    }

    @Test
    void aServiceWithoutOwnedAnnotationsKeepsNone() {
        SlimStore<Service, SlimStore.ServiceState> store = new SlimStore<>(SlimStore.SERVICES);
        Service service = new ServiceBuilder().withNewMetadata().withNamespace("default").withName("plain")
                .withResourceVersion("9").withUid("6f1c1b9e-6a53-4f7e-9a51-2b1f5f0c3d2a")
                .addToAnnotations("team", "payments").endMetadata().build();
        store.put(store.getKey(service), service);

        Service kept = store.get("default/plain");

        assertThat(kept.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(kept.getMetadata().getUid()).isEqualTo("6f1c1b9e-6a53-4f7e-9a51-2b1f5f0c3d2a");
    }

    @Test
    void servicesWithTheSameOwnedAnnotationsShareOneMapWhateverTheirDirectiveVersions() {
        SlimStore<Service, SlimStore.ServiceState> store = new SlimStore<>(SlimStore.SERVICES);
        for (String version : new String[] {"7", "8", "007", "-1"}) {
            Service service = new ServiceBuilder().withNewMetadata().withNamespace("default").withName("s" + version)
                    .addToAnnotations("service.cilium.io/global", new String("true"))
                    .addToAnnotations("service.cilium.io/affinity", new String("local"))
                    .addToAnnotations("meshpilot.io/directive-version", version).endMetadata().build();
            store.put(store.getKey(service), service);
        }

        SlimStore.ServiceState seven = state(store, "default/s7");
        SlimStore.ServiceState eight = state(store, "default/s8");
        assertThat(seven.annotations()).isSameAs(eight.annotations());
        assertThat(store.get("default/s8").getMetadata().getAnnotations()).isEqualTo(Map.of(
                "service.cilium.io/global", "true", "service.cilium.io/affinity", "local",
                "meshpilot.io/directive-version", "8"));
        assertThat(store.get("default/s007").getMetadata().getAnnotations())
                .as("a version not written as meshpilot writes it is given back as it was")
                .containsEntry("meshpilot.io/directive-version", "007");
        assertThat(store.get("default/s-1").getMetadata().getAnnotations())
                .containsEntry("meshpilot.io/directive-version", "-1");
    }

    private static SlimStore.ServiceState state(SlimStore<Service, SlimStore.ServiceState> store, String key) {
        return SlimStore.SERVICES.keep(store.get(key));
    }

    private static EndpointSlice slice(String resourceVersion) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("load").withName("svc-00001-a")
                .withResourceVersion(resourceVersion).addToLabels("kubernetes.io/service-name", "svc-00001")
                .endMetadata().withAddressType("IPv4").build();
    }
}
