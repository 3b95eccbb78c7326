package io.meshpilot.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.meshpilot.core.health.Endpoint;
import io.meshpilot.schemas.ServiceKey;
import org.junit.jupiter.api.Test;

class EndpointSliceReaderTest {

    @Test
    void readsConditionsAsTheApiReportsThemAndNamesThePod() {
        var slice = new EndpointSliceBuilder().withNewMetadata().withNamespace("default").withName("web-v6")
                .addToLabels("kubernetes.io/service-name", "web").endMetadata()
                .addToEndpoints(new EndpointBuilder().withAddresses("fd00::1")
                        .withNewTargetRef().withKind("Pod").withUid("uid-1").withName("web-1").endTargetRef().build())
                .addToEndpoints(new EndpointBuilder().withAddresses("fd00::2").withHostname("web-2")
                        .withNewConditions().withReady(false).withServing(true).withTerminating(true).endConditions()
                        .build())
                .build();

        assertThat(EndpointSliceReader.serviceOf(slice)).contains(new ServiceKey("default", "web"));
        assertThat(EndpointSliceReader.endpoints(slice)).containsExactly(
                new Endpoint("uid:uid-1", null, null, null),
                new Endpoint("host:web-2", false, true, true));
    }
}
