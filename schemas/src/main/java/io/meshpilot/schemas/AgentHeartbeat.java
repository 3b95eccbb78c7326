package io.meshpilot.schemas;

import java.time.Instant;

/** Sent every few seconds by each agent replica; a region without a recent one is stale. */
public record AgentHeartbeat(
        String region,
        String agentId,
        String version,
        Instant sentAt,
        int servicesWatched,
        boolean leader) implements MeshRecord {
}
