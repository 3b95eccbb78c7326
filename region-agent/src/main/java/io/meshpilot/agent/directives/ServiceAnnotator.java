package io.meshpilot.agent.directives;

import io.meshpilot.schemas.KubernetesContract;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.schemas.ServiceDirective;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a directive onto its Service: the owned annotations and {@code meshpilot.io/directive-version} in one JSON
 * merge patch, then an {@code AffinityChanged} Event. Blocking: call it from a worker thread, never an event loop.
 */
final class ServiceAnnotator {


    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String agentId;
    private final Clock clock;

    ServiceAnnotator(KubernetesClient client, String agentId, Clock clock) {
        this.client = client;
        this.agentId = agentId;
        this.clock = clock;
    }

    /** Patches the Service and records the Event; returns the patched Service. */
    Service apply(Service current, ServiceDirective directive) {
        Service patched = client.services().inNamespace(directive.namespace()).withName(directive.service())
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch(directive));
        recordEvent(patched, directive, current);
        return patched;
    }

    static String patch(ServiceDirective directive) {
        Map<String, String> annotations = new LinkedHashMap<>();
        for (String owned : CiliumServiceConfig.OWNED.stream().sorted().toList()) {
            annotations.put(owned, directive.annotations().get(owned));
        }
        annotations.put(KubernetesContract.DIRECTIVE_VERSION_ANNOTATION, Long.toString(directive.version()));
        try {
            return JSON.writeValueAsString(Map.of("metadata", Map.of("annotations", annotations)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a patch for " + directive, e);
        }
    }

    private void recordEvent(Service service, ServiceDirective directive, Service before) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
        client.v1().events().inNamespace(directive.namespace()).resource(new EventBuilder()
                .withNewMetadata().withGenerateName(directive.service() + ".").withNamespace(directive.namespace())
                .endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Service")
                .withNamespace(directive.namespace()).withName(directive.service())
                .withUid(service.getMetadata().getUid()).endInvolvedObject()
                .withType("Normal")
                .withReason(KubernetesContract.AFFINITY_CHANGED_REASON)
                .withMessage(message(before, directive))
                .withNewSource().withComponent("meshpilot-agent").endSource()
                .withReportingComponent("meshpilot.io/agent")
                .withReportingInstance(agentId)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build()).create();
    }

    /** E.g. {@code affinity local -> remote, shared true, global true: local-degraded (directive 12)}. */
    static String message(Service before, ServiceDirective directive) {
        Map<String, String> old = before.getMetadata().getAnnotations() == null ? Map.of()
                : before.getMetadata().getAnnotations();
        String from = old.getOrDefault(CiliumServiceConfig.AFFINITY, "none");
        String to = directive.annotations().getOrDefault(CiliumServiceConfig.AFFINITY, "none");
        String affinity = from.equals(to) ? "affinity " + to : "affinity " + from + " -> " + to;
        return affinity + ", shared " + directive.annotations().getOrDefault(CiliumServiceConfig.SHARED, "true")
                + ", global " + directive.annotations().getOrDefault(CiliumServiceConfig.GLOBAL, "false")
                + ": " + directive.reason() + " (directive " + directive.version() + ")";
    }
}
