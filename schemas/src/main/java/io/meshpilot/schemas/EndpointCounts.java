package io.meshpilot.schemas;

/**
 * Endpoints of one Service in one region, counted over all its EndpointSlices, each pod once. {@code active} and
 * {@code fallback} are Cilium's view in the region itself, {@code exported} what it shares with other clusters; both
 * are absent from older agents' records, read as no fallback and the active ones exported.
 */
public record EndpointCounts(int ready, int serving, int terminating, int active, Integer fallback, Integer exported,
        int total) {

    public static final EndpointCounts NONE = new EndpointCounts(0, 0, 0, 0, 0, 0, 0);

    public EndpointCounts {
        fallback = fallback == null ? 0 : fallback;
        exported = exported == null ? active : exported;
    }

    /** Counts without the fallback and export views, as older agents publish them. */
    public EndpointCounts(int ready, int serving, int terminating, int active, int total) {
        this(ready, serving, terminating, active, null, null, total);
    }
}
