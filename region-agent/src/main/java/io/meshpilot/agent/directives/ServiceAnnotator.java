package io.meshpilot.agent.directives;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.meshpilot.agent.kubernetes.KubernetesCalls;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.schemas.KubernetesContract;
import io.meshpilot.schemas.ServiceDirective;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Writes a directive onto its Service: the owned annotations and {@code meshpilot.io/directive-version} in one JSON
 * merge patch; and, separately (see {@link EventRecorder}), the Event that says why. Blocking: call it from a worker
 * thread, never an event loop.
 */
final class ServiceAnnotator {

    /** Why the annotations are written, and how the Event tells it. */
    enum Change {
        /** A new directive: a Normal {@code AffinityChanged} Event. */
        DIRECTIVE(KubernetesContract.AFFINITY_CHANGED_REASON, "Normal"),
        /** A manual edit of an owned annotation undone: a Warning {@code DriftReverted} Event. */
        DRIFT(KubernetesContract.DRIFT_REVERTED_REASON, "Warning");

        private final String reason;
        private final String type;

        Change(String reason, String type) {
            this.reason = reason;
            this.type = type;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATCH_SERVICE = "patch-service";
    private static final String CREATE_EVENT = "create-event";
    private static final String UPDATE_EVENT = "update-event";

    private final KubernetesClient client;
    private final KubernetesCalls calls;
    private final String agentId;

    ServiceAnnotator(KubernetesClient client, KubernetesCalls calls, String agentId) {
        this.client = client;
        this.calls = calls;
        this.agentId = agentId;
        calls.expect(PATCH_SERVICE, CREATE_EVENT, UPDATE_EVENT);
    }

    /**
     * Patches the Service; returns it patched. Before each attempt (the first and every retry) it asks whether the
     * directive is still wanted, and gives up with {@link Superseded} when a newer one came meanwhile.
     */
    Service patch(Service current, ServiceDirective directive, BooleanSupplier stillWanted) {
        return calls.write(PATCH_SERVICE, () -> {
            if (!stillWanted.getAsBoolean()) {
                throw new Superseded(directive);
            }
            return client.services().inNamespace(directive.namespace()).withName(directive.service())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch(current, directive));
        });
    }

    /** Creates the Event, or updates the count of the identical one written before; returns its name. */
    String record(ServiceEvent event) {
        String namespace = event.identity().service().namespace();
        if (event.existing() != null) {
            String update = "{\"count\":" + event.count() + ",\"lastTimestamp\":\""
                    + DateTimeFormatter.ISO_INSTANT.format(event.last()) + "\"}";
            return calls.write(UPDATE_EVENT, () -> client.v1().events().inNamespace(namespace)
                    .withName(event.existing()).patch(PatchContext.of(PatchType.JSON_MERGE), update))
                    .getMetadata().getName();
        }
        return calls.write(CREATE_EVENT, () -> client.v1().events().inNamespace(namespace)
                .resource(event(event)).create()).getMetadata().getName();
    }

    /** The directive was superseded by a newer one before this attempt: not an API-server failure. */
    static final class Superseded extends RuntimeException {
        Superseded(ServiceDirective directive) {
            super("directive " + directive.version() + " for " + directive.key() + " was superseded", null, false,
                    false);
        }
    }

    /**
     * The merge patch: every annotation meshpilot writes, null where the directive leaves it out, and null for each
     * legacy alias the Service carries (Cilium would read a leftover alias once the annotation is removed).
     */
    static String patch(Service current, ServiceDirective directive) {
        Map<String, String> annotations = new LinkedHashMap<>();
        Map<String, String> carried = OwnedAnnotations.on(current);
        for (String owned : CiliumServiceConfig.OWNED.stream().sorted().toList()) {
            if (CiliumServiceConfig.WRITTEN.contains(owned) || carried.containsKey(owned)) {
                annotations.put(owned, directive.annotations().get(owned));
            }
        }
        annotations.put(KubernetesContract.DIRECTIVE_VERSION_ANNOTATION, Long.toString(directive.version()));
        try {
            return JSON.writeValueAsString(Map.of("metadata", Map.of("annotations", annotations)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a patch for " + directive, e);
        }
    }

    private io.fabric8.kubernetes.api.model.Event event(ServiceEvent event) {
        ServiceEvent.Identity identity = event.identity();
        return new EventBuilder()
                .withNewMetadata().withGenerateName(identity.service().name() + ".")
                .withNamespace(identity.service().namespace()).endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Service")
                .withNamespace(identity.service().namespace()).withName(identity.service().name())
                .withUid(event.uid()).endInvolvedObject()
                .withType(identity.type())
                .withReason(identity.reason())
                .withMessage(identity.message())
                .withNewSource().withComponent("meshpilot-agent").endSource()
                .withReportingComponent("meshpilot.io/agent")
                .withReportingInstance(agentId)
                .withFirstTimestamp(DateTimeFormatter.ISO_INSTANT.format(event.first()))
                .withLastTimestamp(DateTimeFormatter.ISO_INSTANT.format(event.last()))
                .withCount(event.count())
                .build();
    }

    /** The Event telling what this change did and why. */
    static ServiceEvent.Identity eventFor(Service before, ServiceDirective directive, Change change) {
        return new ServiceEvent.Identity(directive.key(), type(change, directive), change.reason,
                message(before, directive, change));
    }

    /** A directive that overrides a drain, exports sick backends or finds no target is a Warning, as is drift. */
    static String type(Change change, ServiceDirective directive) {
        return KubernetesContract.WARNING_DECISION_REASONS.contains(directive.reason()) ? "Warning" : change.type;
    }

    /**
     * E.g. {@code affinity local -> remote, shared true, global true: local-degraded (directive 12)}, or for drift
     * {@code reverted a manual edit (service.cilium.io/affinity: remote -> local): local-healthy (directive 12)}.
     */
    static String message(Service before, ServiceDirective directive, Change change) {
        String cause = ": " + directive.reason() + (directive.awaiting().isEmpty() ? ""
                : ", exporting until " + String.join(", ", directive.awaiting()) + " export") + " (directive "
                + directive.version() + ")";
        if (change == Change.DRIFT) {
            return "reverted a manual edit (" + OwnedAnnotations.difference(OwnedAnnotations.on(before),
                    OwnedAnnotations.wantedBy(directive)) + ")" + cause;
        }
        Map<String, String> old = OwnedAnnotations.on(before);
        String from = old.getOrDefault(CiliumServiceConfig.AFFINITY, "none");
        String to = directive.annotations().getOrDefault(CiliumServiceConfig.AFFINITY, "none");
        String affinity = from.equals(to) ? "affinity " + to : "affinity " + from + " -> " + to;
        return affinity + ", shared " + directive.annotations().getOrDefault(CiliumServiceConfig.SHARED, "true")
                + ", global " + directive.annotations().getOrDefault(CiliumServiceConfig.GLOBAL, "false") + cause;
    }
}
