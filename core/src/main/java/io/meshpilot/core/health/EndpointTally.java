package io.meshpilot.core.health;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Endpoints of one Service in one region, counted over all its EndpointSlices with each pod once. {@code active}
 * and {@code fallback} are Cilium's local view (ready; serving and terminating, used only when nothing is active),
 * {@code exported} what the clustermesh-apiserver shares with other clusters (ready or serving).
 */
public record EndpointTally(int ready, int serving, int terminating, int active, int fallback, int exported,
        int total) {

    public static final EndpointTally NONE = new EndpointTally(0, 0, 0, 0, 0, 0, 0);

    public EndpointTally {
        if (ready < 0 || serving < 0 || terminating < 0 || active < 0 || fallback < 0 || exported < 0 || total < 0) {
            throw new IllegalArgumentException("endpoint counts cannot be negative");
        }
    }

    /** Counts without the fallback and export views (records from older agents): none fall back, the active export. */
    public EndpointTally(int ready, int serving, int terminating, int active, int total) {
        this(ready, serving, terminating, active, 0, active, total);
    }

    /** Counts endpoints gathered from all slices of a Service; endpoints with the same identity count once. */
    public static EndpointTally count(Collection<Endpoint> endpoints) {
        Map<String, Endpoint> byIdentity = new LinkedHashMap<>();
        for (Endpoint endpoint : endpoints) {
            byIdentity.merge(endpoint.identity(), endpoint, Endpoint::merge);
        }
        int ready = 0;
        int serving = 0;
        int terminating = 0;
        int active = 0;
        int fallback = 0;
        int exported = 0;
        for (Endpoint endpoint : byIdentity.values()) {
            ready += endpoint.isReady() ? 1 : 0;
            serving += endpoint.isServing() ? 1 : 0;
            terminating += endpoint.isTerminating() ? 1 : 0;
            active += endpoint.isActive() ? 1 : 0;
            fallback += endpoint.isFallback() ? 1 : 0;
            exported += endpoint.isExported() ? 1 : 0;
        }
        return new EndpointTally(ready, serving, terminating, active, fallback, exported, byIdentity.size());
    }

    /** Share of endpoints that are ready; 0 when there are none. */
    public double readyRatio() {
        return total == 0 ? 0.0 : (double) ready / total;
    }
}
