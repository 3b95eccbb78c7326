package io.meshpilot.core.routing;

import java.util.Locale;
import java.util.Map;

/**
 * Cilium's namespace export gating (1.19+, {@code pkg/clustermesh/namespace/namespace.go}): a Service is exported
 * only from a global Namespace, one annotated {@code clustermesh.cilium.io/global: "true"} (any case), or, without
 * the annotation, any Namespace when Cilium's {@code clustermesh-default-global-namespace} is true (its default).
 */
public final class ClusterMeshNamespace {

    public static final String GLOBAL = "clustermesh.cilium.io/global";

    private ClusterMeshNamespace() {
    }

    public static boolean isGlobal(Map<String, String> namespaceAnnotations, boolean globalByDefault) {
        String value = namespaceAnnotations.get(GLOBAL);
        return value == null ? globalByDefault : value.toLowerCase(Locale.ROOT).equals("true");
    }
}
