package io.meshpilot.controlplane;

import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.schemas.Topics;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the control plane needs, validated: Kafka, the topic prefix, the consumer group its replicas share,
 * and how often it looks for new regions' topics.
 */
public record ControlPlaneSettings(
        KafkaSettings kafka,
        Topics topics,
        String groupId,
        Duration regionDiscoveryInterval) {

    public static final Duration DEFAULT_REGION_DISCOVERY_INTERVAL = Duration.ofSeconds(10);

    public ControlPlaneSettings {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(topics, "topics");
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("--group-id must not be empty");
        }
        if (regionDiscoveryInterval.isNegative() || regionDiscoveryInterval.isZero()) {
            throw new IllegalArgumentException("--region-discovery-interval must be positive, got "
                    + regionDiscoveryInterval);
        }
    }

    /** Defaults: the group is {@code <prefix>.control-plane}; new regions are found within 10 s. */
    public static ControlPlaneSettings of(KafkaSettings kafka, Topics topics) {
        return new ControlPlaneSettings(kafka, topics, topics.prefix() + ".control-plane",
                DEFAULT_REGION_DISCOVERY_INTERVAL);
    }
}
