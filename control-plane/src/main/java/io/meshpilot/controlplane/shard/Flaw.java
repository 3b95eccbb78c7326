package io.meshpilot.controlplane.shard;

/** What is wrong with a record that is dead-lettered. */
public enum Flaw {
    /** The key is not {@code <namespace>/<service>}. */
    BAD_KEY,
    /** The value does not decode or breaks its schema. */
    INVALID,
    /** The document names another region or Service than its topic and key. */
    REGION_MISMATCH
}
