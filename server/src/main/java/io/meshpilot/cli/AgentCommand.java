package io.meshpilot.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshpilot.agent.AgentSettings;
import io.meshpilot.agent.RegionAgent;
import io.meshpilot.agent.kubernetes.KubernetesCalls;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "agent", sortOptions = false,
        description = "Run the region agent: publish this region's Service health, apply its directives.")
final class AgentCommand implements Callable<Integer> {

    @Option(names = "--region", paramLabel = "NAME", defaultValue = "${env:MESHPILOT_REGION}",
            description = "The region (Cilium cluster name) this agent serves; required (env MESHPILOT_REGION).")
    String region;

    @Mixin
    KafkaOptions kafka;

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

    @Option(names = "--namespaces", paramLabel = "NAME[,...]", split = ",",
            defaultValue = "${env:MESHPILOT_NAMESPACES}",
            description = "Namespaces to watch (env MESHPILOT_NAMESPACES; default: all).")
    List<String> namespaces;

    @Option(names = "--publish-window", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:MESHPILOT_PUBLISH_WINDOW:-100ms}",
            description = "Health changes within this window are sent as one record, none held back longer "
                    + "(env MESHPILOT_PUBLISH_WINDOW; default: ${DEFAULT-VALUE}).")
    Duration publishWindow;

    @Option(names = "--resync-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:MESHPILOT_RESYNC_INTERVAL:-10m}",
            description = "How often every Service's health is published again, changed or not "
                    + "(env MESHPILOT_RESYNC_INTERVAL; default: ${DEFAULT-VALUE}).")
    Duration resyncInterval;

    @Option(names = "--clustermesh-namespace-export", paramLabel = "MODE",
            defaultValue = "${env:MESHPILOT_CLUSTERMESH_NAMESPACE_EXPORT:-ignored}",
            description = "Mirror Cilium's namespace export gating (Cilium 1.19+): ignored (Namespaces are not read), "
                    + "global-by-default or local-by-default, as Cilium's clustermesh-default-global-namespace is "
                    + "true or false (env MESHPILOT_CLUSTERMESH_NAMESPACE_EXPORT; default: ${DEFAULT-VALUE}).")
    String namespaceExport;

    @Option(names = "--mcs-api", negatable = true, defaultValue = "${env:MESHPILOT_MCS_API:-false}",
            description = "Watch MCS-API ServiceExports and flag managed Services also exported through them "
                    + "(env MESHPILOT_MCS_API; default: ${DEFAULT-VALUE}).")
    boolean mcsApi;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:MESHPILOT_HEARTBEAT_INTERVAL:-5s}",
            description = "How often the agent sends a heartbeat (env MESHPILOT_HEARTBEAT_INTERVAL; "
                    + "default: ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Option(names = "--write-rate", paramLabel = "PER_SECOND", defaultValue = "${env:MESHPILOT_WRITE_RATE:-20}",
            description = "Most API-server writes per second (env MESHPILOT_WRITE_RATE; default: ${DEFAULT-VALUE}).")
    int writeRate;

    @Option(names = "--apply-parallelism", paramLabel = "N",
            defaultValue = "${env:MESHPILOT_APPLY_PARALLELISM:-8}",
            description = "Most Services whose directives are written at once, each Service one write at a time "
                    + "(env MESHPILOT_APPLY_PARALLELISM; default: ${DEFAULT-VALUE}).")
    int applyParallelism;

    @Option(names = "--kube-request-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:MESHPILOT_KUBE_REQUEST_TIMEOUT:-10s}",
            description = "Timeout of each API-server request (env MESHPILOT_KUBE_REQUEST_TIMEOUT; "
                    + "default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(names = "--kube-attempts", paramLabel = "N", defaultValue = "${env:MESHPILOT_KUBE_ATTEMPTS:-5}",
            description = "Attempts per API-server call on 409, 429, 5xx and timeouts (env MESHPILOT_KUBE_ATTEMPTS; "
                    + "default: ${DEFAULT-VALUE}).")
    int attempts;

    @Option(names = "--kube-backoff", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:MESHPILOT_KUBE_BACKOFF:-200ms}",
            description = "First wait between attempts, doubling up to 5 s (env MESHPILOT_KUBE_BACKOFF; "
                    + "default: ${DEFAULT-VALUE}).")
    Duration backoff;

    @Option(names = "--kube-breaker-open", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:MESHPILOT_KUBE_BREAKER_OPEN:-10s}",
            description = "How long the API-server circuit breaker stays open after failures "
                    + "(env MESHPILOT_KUBE_BREAKER_OPEN; default: ${DEFAULT-VALUE}).")
    Duration breakerOpen;

    @Option(names = "--leader-election", negatable = true, defaultValue = "${env:MESHPILOT_LEADER_ELECTION:-true}",
            fallbackValue = "true",
            description = "Elect one acting replica with a Lease (env MESHPILOT_LEADER_ELECTION; default: on).")
    boolean leaderElection;

    @Option(names = "--lease-namespace", paramLabel = "NAME",
            defaultValue = "${env:MESHPILOT_LEASE_NAMESPACE:-${env:POD_NAMESPACE:-default}}",
            description = "Namespace of the leader Lease (env MESHPILOT_LEASE_NAMESPACE; default: the pod's "
                    + "namespace from POD_NAMESPACE, else default).")
    String leaseNamespace;

    @Option(names = "--lease-name", paramLabel = "NAME", defaultValue = "${env:MESHPILOT_LEASE_NAME:-meshpilot-agent}",
            description = "Name of the leader Lease (env MESHPILOT_LEASE_NAME; default: ${DEFAULT-VALUE}).")
    String leaseName;

    @Option(names = "--lease-duration", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:MESHPILOT_LEASE_DURATION:-15s}",
            description = "How long a silent leader keeps the Lease (env MESHPILOT_LEASE_DURATION; "
                    + "default: ${DEFAULT-VALUE}).")
    Duration leaseDuration;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:MESHPILOT_HTTP_PORT:-8080}",
            description = "Port of /healthz, /readyz and /metrics (env MESHPILOT_HTTP_PORT; "
                    + "default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Override
    public Integer call() throws Exception {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("--region is required (env MESHPILOT_REGION)");
        }
        AgentSettings settings = new AgentSettings(region, agentId(), kafka.topics(), kafka.settings(),
                kubernetesConfig(),
                new AgentSettings.Watch(labels(selector), namespaces == null ? List.of() : namespaces,
                        publishWindow, resyncInterval, heartbeatInterval,
                        AgentSettings.NamespaceExport.parse(namespaceExport), mcsApi),
                new KubernetesCalls.Policy(requestTimeout, attempts, backoff, breakerOpen, writeRate),
                new AgentSettings.Leadership(leaderElection, leaseNamespace, leaseName, leaseDuration,
                        leaseDuration.multipliedBy(2).dividedBy(3), leaseDuration.dividedBy(7), true),
                new AgentSettings.Http("0.0.0.0", httpPort), new AgentSettings.Apply(applyParallelism));
        RegionAgent agent;
        try {
            agent = RegionAgent.start(settings, Clock.systemUTC());
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("cannot reach the Kubernetes API server at "
                    + settings.kubernetes().getMasterUrl() + ": " + Failures.describe(e), e);
        }
        return UntilStopped.run(agent);
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
