package io.meshpilot.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.health.Endpoint;
import io.meshpilot.core.health.EndpointTally;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Packed, a slice's endpoints tally as they did as objects: the conditions exact, each pod once. */
class PackedEndpointsTest {

    @Property(tries = 300)
    void packedEndpointsTallyAsTheEndpointsThemselves(@ForAll("slices") List<List<Endpoint>> slices) {
        List<Endpoint> all = slices.stream().flatMap(List::stream).toList();
        List<Endpoint> unpacked = slices.stream().flatMap(slice -> PackedEndpoints.unpack(PackedEndpoints.pack(slice))
                .stream()).toList();

        assertThat(EndpointTally.count(unpacked)).isEqualTo(EndpointTally.count(all));
    }

    @Property(tries = 100)
    void everyConditionComesBackAsItWas(@ForAll("endpoints") Endpoint endpoint) {
        Endpoint back = PackedEndpoints.unpack(PackedEndpoints.pack(List.of(endpoint))).get(0);

        assertThat(List.of(back.ready() == null ? "-" : back.ready().toString(),
                back.serving() == null ? "-" : back.serving().toString(),
                back.terminating() == null ? "-" : back.terminating().toString()))
                .containsExactly(endpoint.ready() == null ? "-" : endpoint.ready().toString(),
                        endpoint.serving() == null ? "-" : endpoint.serving().toString(),
                        endpoint.terminating() == null ? "-" : endpoint.terminating().toString());
    }

    @Provide
    Arbitrary<Endpoint> endpoints() {
        Arbitrary<Boolean> condition = Arbitraries.of(true, false).injectNull(0.3);
        return Combinators.combine(Arbitraries.integers().between(0, 20).map(pod -> "uid:pod-" + pod), condition,
                condition, condition).as(Endpoint::new);
    }

    @Provide
    Arbitrary<List<List<Endpoint>>> slices() {
        return endpoints().list().ofMaxSize(12).list().ofMaxSize(3);
    }
}
