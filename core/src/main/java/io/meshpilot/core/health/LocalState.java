package io.meshpilot.core.health;

/**
 * The backend state Cilium gives an endpoint of its own cluster ({@code pkg/loadbalancer/reflectors/conversions.go},
 * {@code convertEndpoints}).
 */
public enum LocalState {
    /** Ready (terminating or not): load-balanced to. */
    ACTIVE,
    /** Serving and terminating, not ready: load-balanced to only when no active backend is selected. */
    FALLBACK,
    /** Terminating and not serving: kept for existing connections, never chosen. */
    TERMINATING_NOT_SERVING,
    /** Neither ready nor terminating (e.g. ready=false, serving=true): no traffic. */
    MAINTENANCE
}
