package io.meshpilot.controlplane.world;

import io.meshpilot.schemas.AgentHeartbeat;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * When each region's leading agent was last heard. A heartbeat counts from the earlier of its own time and the time
 * it was read, so replaying old heartbeats at start does not make a silent region look alive, and an agent whose
 * clock runs ahead cannot keep its region alive longer. Confined to the event loop.
 */
public final class RegionLiveness {

    private final Map<String, Instant> lastHeard = new HashMap<>();

    /** Records a heartbeat; only a leading replica's counts. Returns the previous time the region was heard. */
    public Optional<Instant> heard(AgentHeartbeat heartbeat, Instant readAt) {
        Optional<Instant> before = lastHeard(heartbeat.region());
        if (heartbeat.leader()) {
            Instant heard = heartbeat.sentAt().isBefore(readAt) ? heartbeat.sentAt() : readAt;
            lastHeard.merge(heartbeat.region(), heard, (existing, offered) -> offered.isAfter(existing) ? offered
                    : existing);
        }
        return before;
    }

    public Optional<Instant> lastHeard(String region) {
        return Optional.ofNullable(lastHeard.get(region));
    }
}
