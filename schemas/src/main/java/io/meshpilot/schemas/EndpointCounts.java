package io.meshpilot.schemas;

/** Endpoints of one Service in one region, counted over all its EndpointSlices, each pod once. */
public record EndpointCounts(int ready, int serving, int terminating, int active, int total) {

    public static final EndpointCounts NONE = new EndpointCounts(0, 0, 0, 0, 0);
}
