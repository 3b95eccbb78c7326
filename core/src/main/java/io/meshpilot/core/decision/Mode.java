package io.meshpilot.core.decision;

import java.util.Locale;

/** How a policy lets the engine treat its Services. */
public enum Mode {
    /** The engine decides from health. */
    AUTO,
    /** Pinned: affinity=local in every region. */
    LOCAL,
    /** Pinned: affinity=remote in every region. */
    REMOTE,
    /** Pinned: no affinity annotation (Cilium balances across clusters). */
    BALANCED,
    /** Handed back: meshpilot removes the annotations it owns. */
    UNMANAGED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
