package io.meshpilot.agent.directives;

import io.fabric8.kubernetes.api.model.Service;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.schemas.KubernetesContract;
import io.meshpilot.schemas.ServiceDirective;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/** The annotations meshpilot owns on a Service (SPEC §3): what a directive wants, and what a Service carries. */
public final class OwnedAnnotations {

    private OwnedAnnotations() {
    }

    /**
     * The owned annotations a Service carries now, the directive version included. An annotation with no value counts
     * as absent (a JSON merge patch with null removes it; some API servers, such as fabric8's mock, keep the key).
     */
    static Map<String, String> on(Service service) {
        Map<String, String> all = service.getMetadata().getAnnotations() == null ? Map.of()
                : service.getMetadata().getAnnotations();
        Map<String, String> owned = new TreeMap<>();
        all.forEach((name, value) -> {
            if (value != null && isOwned(name)) {
                owned.put(name, value);
            }
        });
        return owned;
    }

    /** Whether meshpilot owns the annotation: a Cilium one, a legacy alias of one, or the directive version. */
    public static boolean isOwned(String name) {
        return CiliumServiceConfig.OWNED.contains(name) || KubernetesContract.DIRECTIVE_VERSION_ANNOTATION.equals(name);
    }

    /** The owned annotations a Service carries once the directive is applied. */
    static Map<String, String> wantedBy(ServiceDirective directive) {
        Map<String, String> wanted = new TreeMap<>(directive.annotations());
        wanted.put(KubernetesContract.DIRECTIVE_VERSION_ANNOTATION, Long.toString(directive.version()));
        return wanted;
    }

    /** The directive version recorded on the Service, if it carries a valid one. */
    static OptionalLong version(Service service) {
        String recorded = on(service).get(KubernetesContract.DIRECTIVE_VERSION_ANNOTATION);
        try {
            return recorded == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(recorded));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** What differs, e.g. {@code service.cilium.io/affinity: remote -> local}. */
    static String difference(Map<String, String> from, Map<String, String> to) {
        StringBuilder changes = new StringBuilder();
        TreeMap<String, String> names = new TreeMap<>(from);
        names.putAll(to);
        for (String name : names.keySet()) {
            String before = from.getOrDefault(name, "(none)");
            String after = to.getOrDefault(name, "(none)");
            if (!before.equals(after)) {
                changes.append(changes.isEmpty() ? "" : ", ").append(name).append(": ").append(before)
                        .append(" -> ").append(after);
            }
        }
        return changes.toString();
    }
}
