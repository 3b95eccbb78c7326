package io.meshpilot.cli;

import io.meshpilot.controlplane.ControlPlane;
import io.meshpilot.controlplane.ControlPlaneSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "control-plane",
        description = "Run a control-plane replica: consume every region's health, publish directives.")
final class ControlPlaneCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--group-id", paramLabel = "GROUP", defaultValue = "${env:MESHPILOT_GROUP_ID}",
            description = "Consumer group the replicas share (env MESHPILOT_GROUP_ID; default: "
                    + "<topic-prefix>.control-plane).")
    String groupId;

    @Option(names = "--region-discovery-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:MESHPILOT_REGION_DISCOVERY_INTERVAL:-10s}",
            description = "How soon a new region's topics are noticed (env MESHPILOT_REGION_DISCOVERY_INTERVAL; "
                    + "default: ${DEFAULT-VALUE}).")
    Duration regionDiscoveryInterval;

    @Option(names = "--replica-id", paramLabel = "ID", defaultValue = "${env:MESHPILOT_REPLICA_ID}",
            description = "This replica's identity, unique among the replicas and stable across its restarts (its "
                    + "transactional id) (env MESHPILOT_REPLICA_ID; default: the host name, which is the pod name).")
    String replicaId;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:MESHPILOT_HTTP_PORT:-8080}",
            description = "Port of the API, /healthz, /readyz and /metrics (env MESHPILOT_HTTP_PORT; "
                    + "default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--per-service-metrics", defaultValue = "${env:MESHPILOT_PER_SERVICE_METRICS:-false}",
            description = "Also export meshpilot_service_region_state, one series per Service and region "
                    + "(env MESHPILOT_PER_SERVICE_METRICS; default: off, so cardinality does not grow with Services).")
    boolean perServiceMetrics;

    @Option(names = "--cilium-cache-ttl", paramLabel = "REGION=DURATION", split = ",",
            defaultValue = "${env:MESHPILOT_CILIUM_CACHE_TTL:-}",
            description = "Each region's Cilium clustermesh.cacheTTL (1.19+), e.g. us=5m,eu=5m; a region not listed "
                    + "keeps unreachable regions' backends for ever, Cilium's default (env MESHPILOT_CILIUM_CACHE_TTL).")
    java.util.List<String> cacheTtls;

    private String replicaId() {
        if (replicaId != null && !replicaId.isBlank()) {
            return replicaId;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--replica-id is not set and the host name is unknown: " + e);
        }
    }

    private io.meshpilot.core.routing.CacheTtls cacheTtls() {
        java.util.Map<String, Duration> byRegion = new java.util.LinkedHashMap<>();
        for (String entry : cacheTtls == null ? java.util.List.<String>of() : cacheTtls) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("--cilium-cache-ttl takes REGION=DURATION, got '" + entry + "'");
            }
            try {
                byRegion.put(entry.substring(0, equals).trim(),
                        new DurationConverter().convert(entry.substring(equals + 1).trim()));
            } catch (picocli.CommandLine.TypeConversionException e) {
                throw new IllegalArgumentException("--cilium-cache-ttl: " + e.getMessage());
            }
        }
        return new io.meshpilot.core.routing.CacheTtls(byRegion);
    }

    @Override
    public Integer call() {
        String group = groupId != null && !groupId.isBlank() ? groupId : kafka.topicPrefix + ".control-plane";
        ControlPlaneSettings settings = new ControlPlaneSettings(kafka.settings(), kafka.topics(), group,
                replicaId(), regionDiscoveryInterval, "0.0.0.0", httpPort, perServiceMetrics, cacheTtls());
        return UntilStopped.run(ControlPlane.start(settings, Clock.systemUTC()));
    }
}
