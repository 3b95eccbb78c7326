package io.meshpilot.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalAnnotationsTest {

    @Test
    void directivesWithTheSameAnnotationsShareOneImmutableMap() {
        RecordCodec codec = RecordCodec.get();
        ServiceDirective directive = new ServiceDirective("us", "default", "alpha", 3,
                new HashMap<>(Map.of("service.cilium.io/global", "true", "service.cilium.io/affinity", "local")),
                "local-healthy", Instant.parse("2026-11-25T16:40:00Z"));

        ServiceDirective read = ((Decoded.Valid<ServiceDirective>) codec.decode(codec.encode(directive),
                ServiceDirective.class)).record();

        assertThat(read.annotations()).isSameAs(directive.annotations())
                .isEqualTo(Map.of("service.cilium.io/global", "true", "service.cilium.io/affinity", "local"));
        assertThat(CanonicalAnnotations.of(new HashMap<>(read.annotations()))).isSameAs(read.annotations());
    }
}
