package io.meshpilot.core.routing;

/** Cilium's {@code service.cilium.io/affinity}: which cluster's backends a global Service prefers. */
public enum Affinity {
    /** Prefer this cluster's backends; use remote ones only when no local one is active. */
    LOCAL,
    /** Prefer remote clusters' backends; use local ones only when no remote one is active. */
    REMOTE,
    /** No preference: written by removing the annotation (Cilium's default), never as {@code none}. */
    BALANCED
}
