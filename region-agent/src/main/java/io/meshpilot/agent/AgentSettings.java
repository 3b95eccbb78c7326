package io.meshpilot.agent;

import io.meshpilot.schemas.KubernetesContract;
import io.fabric8.kubernetes.client.Config;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.schemas.Names;
import io.meshpilot.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a region agent needs, validated: the region it serves, its identity, Kafka, the Kubernetes API server,
 * which Services it manages and how often it sends a heartbeat.
 */
public record AgentSettings(
        String region,
        String agentId,
        Topics topics,
        KafkaSettings kafka,
        Config kubernetes,
        Map<String, String> managedLabels,
        Duration heartbeatInterval) {

    public static final Map<String, String> DEFAULT_MANAGED_LABELS = Map.of(KubernetesContract.MANAGED_LABEL, "true");
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

    public AgentSettings {
        Names.region(region).ifPresent(problem -> {
            throw new IllegalArgumentException("--region '" + region + "' " + problem);
        });
        if (agentId == null || agentId.isBlank()) {
            throw new IllegalArgumentException("--agent-id must not be empty");
        }
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(kubernetes, "kubernetes");
        managedLabels = Map.copyOf(managedLabels);
        if (managedLabels.isEmpty()) {
            throw new IllegalArgumentException("--selector must name at least one label");
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("--heartbeat-interval must be positive, got " + heartbeatInterval);
        }
    }

    /** Defaults for a region: manages Services labelled {@code meshpilot.io/managed=true}. */
    public static AgentSettings of(String region, String agentId, Topics topics, KafkaSettings kafka,
            Config kubernetes) {
        return new AgentSettings(region, agentId, topics, kafka, kubernetes, DEFAULT_MANAGED_LABELS,
                DEFAULT_HEARTBEAT_INTERVAL);
    }
}
