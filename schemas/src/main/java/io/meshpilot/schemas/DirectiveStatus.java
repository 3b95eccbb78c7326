package io.meshpilot.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** What an agent did with a directive. */
public record DirectiveStatus(
        String region,
        String namespace,
        String service,
        long version,
        Result result,
        String message,
        Instant observedAt,
        String agentId) implements MeshRecord {

    public enum Result {
        @JsonProperty("Applied") APPLIED,
        @JsonProperty("Failed") FAILED,
        @JsonProperty("Rejected") REJECTED
    }

    public ServiceKey key() {
        return new ServiceKey(namespace, service);
    }
}
