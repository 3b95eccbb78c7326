package io.meshpilot.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the control plane treats the Services a policy applies to. */
public enum PolicyMode {
    /** The engine decides from health. */
    @JsonProperty("auto") AUTO,
    /** Pinned: affinity=local everywhere. */
    @JsonProperty("local") LOCAL,
    /** Pinned: affinity=remote everywhere. */
    @JsonProperty("remote") REMOTE,
    /** Pinned: no affinity annotation, Cilium balances across clusters. */
    @JsonProperty("balanced") BALANCED,
    /** Handed back: meshpilot removes the annotations it owns. */
    @JsonProperty("unmanaged") UNMANAGED
}
