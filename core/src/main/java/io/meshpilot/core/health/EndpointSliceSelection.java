package io.meshpilot.core.health;

import java.util.Map;

/**
 * Which EndpointSlices count towards a Service's health in its own region: those of the Service, except the ones
 * Cilium writes for remote clusters' backends ({@code service.cilium.io/global-sync-endpoint-slices}), which Cilium's
 * own watchers leave out the same way ({@code pkg/k8s/utils/utils.go}, {@code GetEndpointSliceListOptionsModifier}).
 */
public final class EndpointSliceSelection {

    public static final String SERVICE_NAME = "kubernetes.io/service-name";
    public static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    public static final String CILIUM_MESH_CONTROLLER = "endpointslice-mesh-controller.cilium.io";
    /** The label selector to list and watch the slices with. */
    public static final String LABEL_SELECTOR = SERVICE_NAME + "," + MANAGED_BY + "!=" + CILIUM_MESH_CONTROLLER;

    private EndpointSliceSelection() {
    }

    /** Whether a slice with these labels counts (the selector's test, for slices that reach the agent otherwise). */
    public static boolean counts(Map<String, String> labels) {
        return labels.containsKey(SERVICE_NAME) && !CILIUM_MESH_CONTROLLER.equals(labels.get(MANAGED_BY));
    }
}
