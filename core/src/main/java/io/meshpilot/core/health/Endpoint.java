package io.meshpilot.core.health;

/**
 * One endpoint of an EndpointSlice with its conditions as the EndpointSlice API reports them; a condition the API
 * left out is {@code null}. {@code identity} names the backend (its pod), so the same pod seen in an IPv4 and an IPv6
 * slice is one endpoint.
 */
public record Endpoint(String identity, Boolean ready, Boolean serving, Boolean terminating) {

    /** An absent {@code ready} condition reads as true (Cilium's {@code pkg/k8s/endpoints.go}). */
    public boolean isReady() {
        return ready == null || ready;
    }

    /** An absent {@code serving} condition reads as true, whatever {@code ready} says (as Cilium reads it). */
    public boolean isServing() {
        return serving == null || serving;
    }

    public boolean isTerminating() {
        return terminating != null && terminating;
    }

    /** What Cilium makes of this endpoint in its own cluster. */
    public LocalState localState() {
        if (isReady()) {
            return LocalState.ACTIVE;
        }
        if (isTerminating()) {
            return isServing() ? LocalState.FALLBACK : LocalState.TERMINATING_NOT_SERVING;
        }
        return LocalState.MAINTENANCE;
    }

    /** Locally active: ready, even while terminating. */
    public boolean isActive() {
        return localState() == LocalState.ACTIVE;
    }

    /** Serving and terminating but not ready: used locally only when the cluster has no active endpoint. */
    public boolean isFallback() {
        return localState() == LocalState.FALLBACK;
    }

    /** Shared with other clusters by the clustermesh-apiserver (there all active): ready or serving. */
    public boolean isExported() {
        return isReady() || isServing();
    }

    /** The same pod seen twice (dual-stack): the most available view of it wins. */
    Endpoint merge(Endpoint other) {
        return new Endpoint(identity, isReady() || other.isReady(), isServing() || other.isServing(),
                isTerminating() && other.isTerminating());
    }
}
