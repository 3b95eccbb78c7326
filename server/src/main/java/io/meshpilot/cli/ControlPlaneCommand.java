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

    @Override
    public Integer call() {
        String group = groupId != null && !groupId.isBlank() ? groupId : kafka.topicPrefix + ".control-plane";
        ControlPlaneSettings settings = new ControlPlaneSettings(kafka.settings(), kafka.topics(), group,
                replicaId(), regionDiscoveryInterval, "0.0.0.0", httpPort, perServiceMetrics);
        return UntilStopped.run(ControlPlane.start(settings, Clock.systemUTC()));
    }
}
