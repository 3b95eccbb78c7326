package io.meshpilot.core.health;

/**
 * One endpoint of an EndpointSlice with its conditions as the EndpointSlice API reports them; a condition the API
 * left out is {@code null}. {@code identity} names the backend (its pod), so the same pod seen in an IPv4 and an IPv6
 * slice is one endpoint.
 */
public record Endpoint(String identity, Boolean ready, Boolean serving, Boolean terminating) {

    /** An absent {@code ready} condition means ready, as the EndpointSlice API defines. */
    public boolean isReady() {
        return ready == null || ready;
    }

    /** An absent {@code serving} condition defers to {@code ready}, as the EndpointSlice API defines. */
    public boolean isServing() {
        return serving == null ? isReady() : serving;
    }

    public boolean isTerminating() {
        return terminating != null && terminating;
    }

    /** What Cilium load-balances to and exports: ready, or serving and not terminating. */
    public boolean isActive() {
        return isReady() || (isServing() && !isTerminating());
    }

    /** The same pod seen twice (dual-stack): the most available view of it wins. */
    Endpoint merge(Endpoint other) {
        return new Endpoint(identity, isReady() || other.isReady(), isServing() || other.isServing(),
                isTerminating() && other.isTerminating());
    }
}
