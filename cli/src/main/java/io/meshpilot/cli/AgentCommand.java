package io.meshpilot.cli;

import io.fabric8.kubernetes.client.Config;
import io.meshpilot.agent.AgentSettings;
import io.meshpilot.agent.RegionAgent;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run the region agent: publish this region's Service health, apply its directives.")
final class AgentCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--region", paramLabel = "NAME", defaultValue = "${env:MESHPILOT_REGION}",
            description = "The region (Cilium cluster name) this agent serves; required (env MESHPILOT_REGION).")
    String region;

    @Option(names = "--agent-id", paramLabel = "ID", defaultValue = "${env:MESHPILOT_AGENT_ID}",
            description = "This replica's identity (env MESHPILOT_AGENT_ID; default: the host name, which is the "
                    + "pod name in Kubernetes).")
    String agentId;

    @Option(names = "--kubeconfig", paramLabel = "FILE", defaultValue = "${env:MESHPILOT_KUBECONFIG}",
            description = "kubeconfig of the region's cluster (env MESHPILOT_KUBECONFIG; default: in-cluster "
                    + "service account, else KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--selector", paramLabel = "KEY=VALUE[,...]",
            defaultValue = "${env:MESHPILOT_SELECTOR:-meshpilot.io/managed=true}",
            description = "Labels of the Services meshpilot manages (env MESHPILOT_SELECTOR; "
                    + "default: ${DEFAULT-VALUE}).")
    String selector;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:MESHPILOT_HEARTBEAT_INTERVAL:-5s}",
            description = "How often the agent sends a heartbeat (env MESHPILOT_HEARTBEAT_INTERVAL; "
                    + "default: ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Override
    public Integer call() throws Exception {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("--region is required (env MESHPILOT_REGION)");
        }
        AgentSettings settings = new AgentSettings(region, agentId(), kafka.topics(), kafka.settings(),
                kubernetesConfig(), labels(selector), heartbeatInterval);
        return UntilStopped.run(RegionAgent.start(settings, Clock.systemUTC()));
    }

    private String agentId() throws IOException {
        return agentId != null && !agentId.isBlank() ? agentId : InetAddress.getLocalHost().getHostName();
    }

    private Config kubernetesConfig() {
        if (kubeconfig == null) {
            return Config.autoConfigure(null);
        }
        try {
            return Config.fromKubeconfig(Files.readString(kubeconfig));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--kubeconfig: cannot read " + kubeconfig + ": " + e.getMessage(), e);
        }
    }

    static Map<String, String> labels(String selector) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String term : selector.split(",")) {
            String[] keyValue = term.trim().split("=", 2);
            if (keyValue.length != 2 || keyValue[0].isBlank() || keyValue[1].isBlank()) {
                throw new IllegalArgumentException("--selector must be KEY=VALUE[,KEY=VALUE...], got '"
                        + selector + "'");
            }
            labels.put(keyValue[0].trim(), keyValue[1].trim());
        }
        return labels;
    }
}
