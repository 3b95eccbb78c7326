package io.meshpilot.controlplane;

import io.meshpilot.core.routing.CacheTtls;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.schemas.Topics;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a control-plane replica needs, validated: Kafka, the topic prefix, the consumer group the replicas
 * share, this replica's identity (its transactional id; unique per replica, stable across its restarts), how often it
 * looks for new regions' topics, where it serves HTTP, and whether it exports a series per Service (off: the
 * metrics' cardinality then does not grow with the Services), and each region's Cilium {@code clustermesh.cacheTTL}
 * (how long it keeps an unreachable region's backends). Each error names its flag.
 */
public record ControlPlaneSettings(
        KafkaSettings kafka,
        Topics topics,
        String groupId,
        String replicaId,
        Duration regionDiscoveryInterval,
        String httpHost,
        int httpPort,
        boolean perServiceMetrics,
        CacheTtls cacheTtls) {

    public static final Duration DEFAULT_REGION_DISCOVERY_INTERVAL = Duration.ofSeconds(10);

    public ControlPlaneSettings {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(topics, "topics");
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("--group-id must not be empty");
        }
        if (replicaId == null || !replicaId.matches("[A-Za-z0-9][-A-Za-z0-9_.]*")) {
            throw new IllegalArgumentException("--replica-id must be letters, digits, '-', '_' or '.', got '"
                    + replicaId + "'");
        }
        if (regionDiscoveryInterval.isNegative() || regionDiscoveryInterval.isZero()) {
            throw new IllegalArgumentException("--region-discovery-interval must be positive, got "
                    + regionDiscoveryInterval);
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("--http-port must be within 0..65535, got " + httpPort);
        }
        Objects.requireNonNull(cacheTtls, "--cilium-cache-ttl");
    }

    /** Settings where every region's Cilium keeps unreachable regions' backends for ever (its default). */
    public ControlPlaneSettings(KafkaSettings kafka, Topics topics, String groupId, String replicaId,
            Duration regionDiscoveryInterval, String httpHost, int httpPort, boolean perServiceMetrics) {
        this(kafka, topics, groupId, replicaId, regionDiscoveryInterval, httpHost, httpPort, perServiceMetrics,
                CacheTtls.NEVER);
    }

    /** Defaults on loopback: the group is {@code <prefix>.control-plane}; new regions are found within 10 s. */
    public static ControlPlaneSettings of(KafkaSettings kafka, Topics topics, String replicaId) {
        return new ControlPlaneSettings(kafka, topics, topics.prefix() + ".control-plane", replicaId,
                DEFAULT_REGION_DISCOVERY_INTERVAL, "127.0.0.1", 0, false);
    }

    public ControlPlaneSettings withHttp(String host, int port) {
        return new ControlPlaneSettings(kafka, topics, groupId, replicaId, regionDiscoveryInterval, host, port,
                perServiceMetrics, cacheTtls);
    }

    public ControlPlaneSettings withRegionDiscoveryInterval(Duration interval) {
        return new ControlPlaneSettings(kafka, topics, groupId, replicaId, interval, httpHost, httpPort,
                perServiceMetrics, cacheTtls);
    }

    public ControlPlaneSettings withPerServiceMetrics(boolean enabled) {
        return new ControlPlaneSettings(kafka, topics, groupId, replicaId, regionDiscoveryInterval, httpHost,
                httpPort, enabled, cacheTtls);
    }

    public ControlPlaneSettings withCacheTtls(CacheTtls changed) {
        return new ControlPlaneSettings(kafka, topics, groupId, replicaId, regionDiscoveryInterval, httpHost,
                httpPort, perServiceMetrics, changed);
    }
}
