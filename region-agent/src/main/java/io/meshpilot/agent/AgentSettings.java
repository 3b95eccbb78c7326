package io.meshpilot.agent;

import io.fabric8.kubernetes.client.Config;
import io.meshpilot.agent.kubernetes.KubernetesCalls;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.schemas.KubernetesContract;
import io.meshpilot.schemas.Names;
import io.meshpilot.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a region agent needs, validated when built: each error names the command-line flag that sets it.
 */
public record AgentSettings(
        String region,
        String agentId,
        Topics topics,
        KafkaSettings kafka,
        Config kubernetes,
        Watch watch,
        KubernetesCalls.Policy writes,
        Leadership leadership,
        Http http,
        Apply apply) {

    /**
     * How directives are applied: at most {@code parallelism} Services are written at once (each Service one write at
     * a time), so a Service stuck in retries holds one of them and no other Service.
     */
    public record Apply(int parallelism) {

        public static final int MAX_PARALLELISM = 256;
        public static final Apply DEFAULT = new Apply(8);

        public Apply {
            if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
                throw new IllegalArgumentException("--apply-parallelism must be within 1.." + MAX_PARALLELISM
                        + ", got " + parallelism);
            }
        }
    }

    /**
     * Which Services the agent manages and how it reports their health: also whether it mirrors Cilium's namespace
     * export gating (reading Namespaces only then) and whether it watches MCS-API ServiceExports.
     */
    public record Watch(Map<String, String> managedLabels, List<String> namespaces, Duration publishWindow,
            Duration resyncInterval, Duration heartbeatInterval, NamespaceExport namespaceExport, boolean mcsApi) {

        public static final Watch DEFAULT = new Watch(Map.of(KubernetesContract.MANAGED_LABEL, "true"), List.of(),
                Duration.ofMillis(100), Duration.ofMinutes(10), Duration.ofSeconds(5));

        public Watch {
            managedLabels = Map.copyOf(managedLabels);
            namespaces = List.copyOf(namespaces);
            Objects.requireNonNull(namespaceExport, "--clustermesh-namespace-export");
            if (managedLabels.isEmpty()) {
                throw new IllegalArgumentException("--selector must name at least one label");
            }
            namespaces.forEach(namespace -> Names.namespace(namespace).ifPresent(problem -> {
                throw new IllegalArgumentException("--namespaces: '" + namespace + "' " + problem);
            }));
            positive(publishWindow, "--publish-window");
            positive(resyncInterval, "--resync-interval");
            positive(heartbeatInterval, "--heartbeat-interval");
        }

        /** Not mirroring namespace gating, no MCS-API. */
        public Watch(Map<String, String> managedLabels, List<String> namespaces, Duration publishWindow,
                Duration resyncInterval, Duration heartbeatInterval) {
            this(managedLabels, namespaces, publishWindow, resyncInterval, heartbeatInterval, NamespaceExport.IGNORED,
                    false);
        }

        public Watch withNamespaceExport(NamespaceExport changed) {
            return new Watch(managedLabels, namespaces, publishWindow, resyncInterval, heartbeatInterval, changed,
                    mcsApi);
        }

        public Watch withMcsApi(boolean changed) {
            return new Watch(managedLabels, namespaces, publishWindow, resyncInterval, heartbeatInterval,
                    namespaceExport, changed);
        }
    }

    /**
     * How this cluster's Cilium gates export by Namespace (1.19+): the Namespace annotation
     * {@code clustermesh.cilium.io/global} over Cilium's {@code clustermesh-default-global-namespace}.
     */
    public enum NamespaceExport {
        /** Not mirrored: every Service reads as exportable and Namespaces are never read (least privilege). */
        IGNORED,
        /** {@code clustermesh-default-global-namespace=true} (Cilium's default): unannotated Namespaces export. */
        GLOBAL_BY_DEFAULT,
        /** {@code clustermesh-default-global-namespace=false}: only Namespaces annotated {@code true} export. */
        LOCAL_BY_DEFAULT;

        /** Parses {@code ignored}, {@code global-by-default} or {@code local-by-default}. */
        public static NamespaceExport parse(String value) {
            for (NamespaceExport mode : values()) {
                if (mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-').equals(value)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("--clustermesh-namespace-export must be ignored, global-by-default or "
                    + "local-by-default, not '" + value + "'");
        }
    }

    /** Leader election between the agent's replicas, with a Kubernetes Lease. */
    public record Leadership(boolean enabled, String namespace, String leaseName, Duration leaseDuration,
            Duration renewDeadline, Duration retryPeriod, boolean releaseOnStop) {

        public static final Leadership DEFAULT = new Leadership(true, "default", "meshpilot-agent",
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), true);

        public Leadership {
            Names.namespace(namespace).ifPresent(problem -> {
                throw new IllegalArgumentException("--lease-namespace '" + namespace + "' " + problem);
            });
            if (leaseName == null || leaseName.isBlank()) {
                throw new IllegalArgumentException("--lease-name must not be empty");
            }
            positive(leaseDuration, "--lease-duration");
            positive(renewDeadline, "--lease-renew-deadline");
            positive(retryPeriod, "--lease-retry-period");
            if (renewDeadline.compareTo(leaseDuration) >= 0) {
                throw new IllegalArgumentException("--lease-renew-deadline (" + renewDeadline
                        + ") must be shorter than --lease-duration (" + leaseDuration + ")");
            }
        }

        /** Quick hand-over, for the sandbox and the tests. */
        public static Leadership fast(String namespace) {
            return new Leadership(true, namespace, "meshpilot-agent", Duration.ofSeconds(2),
                    Duration.ofMillis(1500), Duration.ofMillis(250), true);
        }
    }

    /** Where the agent serves /healthz, /readyz and /metrics. */
    public record Http(String host, int port) {

        public static final Http DEFAULT = new Http("0.0.0.0", 8080);
        /** A free loopback port, for the sandbox and the tests. */
        public static final Http LOOPBACK = new Http("127.0.0.1", 0);

        public Http {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--http-port must be within 0..65535, got " + port);
            }
        }
    }

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
        Objects.requireNonNull(watch, "watch");
        Objects.requireNonNull(writes, "writes");
        Objects.requireNonNull(leadership, "leadership");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(apply, "apply");
    }

    /** With the default way of applying directives. */
    public AgentSettings(String region, String agentId, Topics topics, KafkaSettings kafka, Config kubernetes,
            Watch watch, KubernetesCalls.Policy writes, Leadership leadership, Http http) {
        this(region, agentId, topics, kafka, kubernetes, watch, writes, leadership, http, Apply.DEFAULT);
    }

    /** Defaults for a region: manages Services labelled {@code meshpilot.io/managed=true} in every namespace. */
    public static AgentSettings of(String region, String agentId, Topics topics, KafkaSettings kafka,
            Config kubernetes) {
        return new AgentSettings(region, agentId, topics, kafka, kubernetes, Watch.DEFAULT,
                KubernetesCalls.Policy.DEFAULT, Leadership.DEFAULT, Http.DEFAULT);
    }

    public AgentSettings withWatch(Watch changed) {
        return new AgentSettings(region, agentId, topics, kafka, kubernetes, changed, writes, leadership, http, apply);
    }

    public AgentSettings withWrites(KubernetesCalls.Policy changed) {
        return new AgentSettings(region, agentId, topics, kafka, kubernetes, watch, changed, leadership, http, apply);
    }

    public AgentSettings withLeadership(Leadership changed) {
        return new AgentSettings(region, agentId, topics, kafka, kubernetes, watch, writes, changed, http, apply);
    }

    public AgentSettings withHttp(Http changed) {
        return new AgentSettings(region, agentId, topics, kafka, kubernetes, watch, writes, leadership, changed, apply);
    }

    public AgentSettings withKafka(KafkaSettings changed) {
        return new AgentSettings(region, agentId, topics, changed, kubernetes, watch, writes, leadership, http, apply);
    }

    public AgentSettings withApply(Apply changed) {
        return new AgentSettings(region, agentId, topics, kafka, kubernetes, watch, writes, leadership, http, changed);
    }

    private static void positive(Duration duration, String flag) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(flag + " must be positive, got " + duration);
        }
    }
}
