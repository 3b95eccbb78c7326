package io.meshpilot.controlplane.shard;

import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.PolicyStatus;
import io.meshpilot.schemas.PracticeRunStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import java.util.Optional;

/**
 * A record the shard replays, decoded and checked against its topic and key by the runtime: the shard never sees
 * bytes it has to parse, except a policy (judged by the policy validator, which reports every error) and a flawed
 * record (kept whole for its dead letter). An empty value is a tombstone.
 */
public sealed interface Inbound {

    RecordOrigin origin();

    /** A record of one region's topics. */
    sealed interface OfRegion extends Inbound {
        String region();
    }

    record Health(RecordOrigin origin, String region, ServiceKey service, Optional<ServiceHealth> health)
            implements OfRegion {
    }

    record Status(RecordOrigin origin, String region, ServiceKey service, Optional<DirectiveStatus> status)
            implements OfRegion {
    }

    record Directive(RecordOrigin origin, String region, ServiceKey service, Optional<ServiceDirective> directive)
            implements OfRegion {
    }

    record Heartbeat(RecordOrigin origin, String region, AgentHeartbeat heartbeat) implements OfRegion {
    }

    /** A record of a region's topics that is dead-lettered by the replica owning its partition. */
    record Flawed(RecordOrigin origin, String region, String key, byte[] value, Flaw flaw, String reason)
            implements OfRegion {
    }

    /** A policy record: its scope (the key) and its document, empty for a deletion. */
    record Policy(RecordOrigin origin, String scope, Optional<byte[]> document) implements Inbound {
    }

    /** A policy status read back: the policy record it answers has been answered. */
    record PolicyAnswered(RecordOrigin origin, PolicyStatus status) implements Inbound {
    }

    /** A practice-run record: its name (the key) and its document, empty for a tombstone (an abort). */
    record Practice(RecordOrigin origin, String name, Optional<byte[]> document) implements Inbound {
    }

    /** A practice run's status read back: its drain is in force while it says running. */
    record PracticeAnswered(RecordOrigin origin, PracticeRunStatus status) implements Inbound {
    }

    /** A record the shard has no use for (an undecodable directive or status answer). */
    record Ignored(RecordOrigin origin) implements Inbound {
    }
}
