package io.meshpilot.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RecordCodecPropertiesTest {

    private final RecordCodec codec = RecordCodec.get();

    @Property
    void neverThrowsOnArbitraryBytes(@ForAll byte[] bytes) {
        Decoded<ServiceHealth> decoded = codec.decode(bytes, ServiceHealth.class);

        assertThat(decoded).isInstanceOf(Decoded.Invalid.class);
        assertThat(((Decoded.Invalid<?>) decoded).errors()).allSatisfy(error -> {
            assertThat(error.field()).isNotBlank();
            assertThat(error.problem()).isNotBlank();
        });
    }

    @Property
    void neverThrowsOnArbitraryTextInAValidDocument(@ForAll("healths") ServiceHealth health, @ForAll String noise) {
        String json = new String(codec.encode(health), StandardCharsets.UTF_8);
        String mangled = json.substring(0, json.length() / 2) + noise + json.substring(json.length() / 2);

        Decoded<ServiceHealth> decoded = codec.decode(mangled.getBytes(StandardCharsets.UTF_8), ServiceHealth.class);

        assertThat(decoded).isNotNull();
    }

    @Property
    void roundTripsEveryValidHealth(@ForAll("healths") ServiceHealth health) {
        assertThat(codec.decode(codec.encode(health), ServiceHealth.class)).isEqualTo(new Decoded.Valid<>(health));
    }

    @Provide
    Arbitrary<ServiceHealth> healths() {
        Arbitrary<String> labels = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789")
                .ofMinLength(1).ofMaxLength(32).filter(s -> Character.isLetter(s.charAt(0)));
        Arbitrary<Integer> counts = Arbitraries.integers().between(0, 1_000_000);
        Arbitrary<EndpointCounts> endpoints = Combinators.combine(counts, counts, counts, counts, counts)
                .as(EndpointCounts::new);
        Arbitrary<Instant> instants = Arbitraries.longs().between(0, 4_000_000_000_000L).map(Instant::ofEpochMilli);
        return Combinators.combine(labels, labels, labels, endpoints, instants, labels).as(ServiceHealth::new);
    }
}
