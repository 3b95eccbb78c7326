package io.meshpilot.cli;

import io.meshpilot.controlplane.ControlPlane;
import io.meshpilot.controlplane.ControlPlaneSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "control-plane", mixinStandardHelpOptions = true,
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

    @Override
    public Integer call() {
        String group = groupId != null && !groupId.isBlank() ? groupId : kafka.topicPrefix + ".control-plane";
        ControlPlaneSettings settings = new ControlPlaneSettings(kafka.settings(), kafka.topics(), group,
                regionDiscoveryInterval);
        return UntilStopped.run(ControlPlane.start(settings, Clock.systemUTC()));
    }
}
