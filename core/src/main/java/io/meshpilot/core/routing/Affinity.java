package io.meshpilot.core.routing;

/** Cilium's {@code service.cilium.io/affinity}: which cluster's backends a global Service prefers. */
public enum Affinity {
    /** Prefer this cluster's backends; use remote ones only when no local one is active. */
    LOCAL,
    /** Prefer remote clusters' backends; use local ones only when no remote one is active. */
    REMOTE,
    /** No preference: written by removing the annotation (Cilium's default), never as {@code none}. */
    BALANCED,
    /**
     * Never written by meshpilot: how Cilium releases before the fix of cilium/cilium#46623 (1.18, 1.19.0 to
     * 1.19.5) read {@code affinity: none} or an unknown value. Local backends only, remote ones never, so clients
     * are blackholed whenever their cluster has no local endpoint.
     */
    LOCAL_ONLY
}
