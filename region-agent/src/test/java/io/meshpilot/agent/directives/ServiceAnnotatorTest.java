package io.meshpilot.agent.directives;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.meshpilot.agent.directives.ServiceAnnotator.Change;
import io.meshpilot.schemas.ServiceDirective;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceAnnotatorTest {

    private static final ServiceDirective BALANCED = new ServiceDirective("us", "default", "hello-world", 9,
            Map.of("service.cilium.io/global", "true", "service.cilium.io/shared", "false"), "drained",
            Instant.EPOCH);

    @Test
    void writesEveryOwnedAnnotationInOnePatchRemovingTheAbsentOnes() {
        assertThat(ServiceAnnotator.patch(service(Map.of()), BALANCED)).isEqualTo("{\"metadata\":{\"annotations\":{"
                + "\"service.cilium.io/affinity\":null,\"service.cilium.io/global\":\"true\","
                + "\"service.cilium.io/shared\":\"false\",\"meshpilot.io/directive-version\":\"9\"}}}");
    }

    @Test
    void recordsADrainOverriddenOrALastResortExportAsAWarningAndSaysWhatItWaitsFor() {
        ServiceDirective overridden = new ServiceDirective("eu", "default", "hello-world", 10,
                Map.of("service.cilium.io/global", "true", "service.cilium.io/shared", "true",
                        "service.cilium.io/affinity", "local"), "drain-overridden", Instant.EPOCH, "drained",
                Instant.EPOCH, java.util.List.of("ap"));

        assertThat(ServiceAnnotator.type(Change.DIRECTIVE, overridden)).isEqualTo("Warning");
        assertThat(ServiceAnnotator.type(Change.DIRECTIVE, BALANCED)).isEqualTo("Normal");
        assertThat(ServiceAnnotator.message(service(Map.of()), overridden, Change.DIRECTIVE))
                .endsWith("drain-overridden, exporting until ap export (directive 10)");
        assertThat(io.meshpilot.schemas.KubernetesContract.WARNING_DECISION_REASONS).allSatisfy(reason ->
                assertThat(io.meshpilot.core.decision.Reason.fromWire(reason)).as(reason).isPresent());
    }

    @Test
    void removesTheLegacyAliasesTheServiceCarries() {
        assertThat(ServiceAnnotator.patch(service(Map.of("io.cilium/service-affinity", "remote")), BALANCED))
                .isEqualTo("{\"metadata\":{\"annotations\":{\"io.cilium/service-affinity\":null,"
                        + "\"service.cilium.io/affinity\":null,\"service.cilium.io/global\":\"true\","
                        + "\"service.cilium.io/shared\":\"false\",\"meshpilot.io/directive-version\":\"9\"}}}");
    }

    @Test
    void tellsWhatChangedAndWhy() {
        Service before = service(Map.of("service.cilium.io/affinity", "local"));

        assertThat(ServiceAnnotator.message(before, BALANCED, Change.DIRECTIVE))
                .isEqualTo("affinity local -> none, shared false, global true: drained (directive 9)");
    }

    @Test
    void tellsWhichManualEditWasReverted() {
        Service edited = service(Map.of("service.cilium.io/global", "true", "service.cilium.io/shared", "true",
                "meshpilot.io/directive-version", "9"));

        assertThat(ServiceAnnotator.message(edited, BALANCED, Change.DRIFT)).isEqualTo(
                "reverted a manual edit (service.cilium.io/shared: true -> false): drained (directive 9)");
    }

    @Test
    void backsOffExponentiallyUpToAMinute() {
        assertThat(DirectiveApplier.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(DirectiveApplier.backoff(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(DirectiveApplier.backoff(30)).isEqualTo(Duration.ofSeconds(60));
    }

    private static Service service(Map<String, String> annotations) {
        return new ServiceBuilder().withNewMetadata().withName("hello-world").withNamespace("default")
                .withAnnotations(annotations).endMetadata().build();
    }
}
