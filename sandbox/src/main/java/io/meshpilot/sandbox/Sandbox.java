package io.meshpilot.sandbox;

import io.meshpilot.agent.AgentSettings;
import io.meshpilot.controlplane.ControlPlane;
import io.meshpilot.controlplane.ControlPlaneSettings;
import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.embedded.kubernetes.real.RealRegions;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.kafka.TopicProvisioner;
import io.meshpilot.runtime.Await;
import io.meshpilot.schemas.TrafficPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * meshpilot on one machine with no outside service: a Kafka broker (embedded, unless one is given), and per region a
 * Kubernetes API server with the walkthrough's workload, a workload simulator and an agent; then the control plane.
 */
public final class Sandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    private final SandboxSettings settings;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final Map<String, SandboxRegion> regions = new LinkedHashMap<>();
    private KafkaSettings kafka;
    private ControlPlane controlPlane;
    private ControlPlaneSettings controlPlaneSettings;
    private Clock clock;

    private Sandbox(SandboxSettings settings) {
        this.settings = settings;
    }

    public static Sandbox start(SandboxSettings settings, Clock clock) {
        return start(settings, clock, (region, agent) -> agent);
    }

    /** As {@link #start(SandboxSettings, Clock)}, each region's agent settings changed by {@code agents} first. */
    public static Sandbox start(SandboxSettings settings, Clock clock,
            BiFunction<String, AgentSettings, AgentSettings> agents) {
        Sandbox sandbox = new Sandbox(settings);
        try {
            sandbox.startParts(clock, agents);
            return sandbox;
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    private void startParts(Clock clock, BiFunction<String, AgentSettings, AgentSettings> agents) {
        kafka = KafkaSettings.bootstrap(settings.kafkaBootstrap().orElseGet(this::startBroker));
        try (Admin admin = Admin.create(kafka.admin("sandbox"))) {
            new TopicProvisioner(admin, settings.topics(), TopicProvisioner.Layout.SINGLE_BROKER)
                    .provision(settings.regions());
        }
        List<String> names = settings.regions();
        if (settings.kubernetes() == KubernetesBackend.REAL) {
            Map<String, Integer> indexes = new LinkedHashMap<>();
            names.forEach(name -> indexes.put(name, indexes.size() + 1));
            RealRegions.startAll(indexes);
        }
        for (int i = 0; i < names.size(); i++) {
            SandboxRegion region = SandboxRegion.start(names.get(i), i + 1, settings.stateDir(), settings.replicas(),
                    settings.kubernetes());
            resources.push(region);
            regions.put(region.name(), region);
            region.startAgent(agents.apply(region.name(), AgentSettings.of(region.name(),
                    "agent-" + region.name() + "-0", settings.topics(), kafka, region.agentClientConfig())
                    .withLeadership(AgentSettings.Leadership.fast(region.agentNamespace()))
                    .withHttp(AgentSettings.Http.LOOPBACK)), clock);
        }
        this.clock = clock;
        controlPlaneSettings = ControlPlaneSettings.of(kafka, settings.topics(), "sandbox-0")
                .withRegionDiscoveryInterval(Duration.ofSeconds(2)).withHttp("127.0.0.1", settings.httpPort())
                .withPerServiceMetrics(true);
        startControlPlane();
        resources.push(this::stopControlPlane);
        writeStateFile("kafka.properties", "bootstrap.servers=" + kafka.bootstrapServers() + "\n");
        writeStateFile("prometheus.yml", prometheusConfig());
        awaitReady();
        writeStateFile("ready", controlPlaneUrl() + "\n");
        LOG.atInfo().addKeyValue("regions", names).addKeyValue("kafka", kafka.bootstrapServers())
                .log("sandbox started");
    }

    /** Every agent has listed its Services and reached Kafka, and the control plane decides for its partitions. */
    private void awaitReady() {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        regions.values().forEach(region -> region.agent().ifPresent(agent ->
                ready.add(agent.ready().toCompletableFuture())));
        ready.add(controlPlane.ready().toCompletableFuture());
        Await.result(CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)), Duration.ofSeconds(60),
                "the agents and the control plane to be ready");
    }

    /**
     * A Prometheus configuration scraping this sandbox every second: the control plane as job
     * {@code meshpilot-control-plane}, the agents as job {@code meshpilot-agent} with a {@code region} label, as the
     * charts' ServiceMonitors do.
     */
    private String prometheusConfig() {
        StringBuilder config = new StringBuilder("""
                # prometheus --config.file=%s
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: meshpilot-control-plane
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                  - job_name: meshpilot-agent
                    static_configs:
                """.formatted(settings.stateDir().resolve("prometheus.yml"), controlPlane.httpPort()));
        regions.values().forEach(region -> config.append("""
                      - targets: ["127.0.0.1:%d"]
                        labels: {region: %s}
                """.formatted(region.agentHttpPort(), region.name())));
        return config.toString();
    }

    private void writeStateFile(String name, String content) {
        try {
            Files.createDirectories(settings.stateDir());
            Files.writeString(settings.stateDir().resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + settings.stateDir().resolve(name), e);
        }
    }

    private String startBroker() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Map.of());
        resources.push(broker);
        return broker.bootstrapServers();
    }

    /** Writes a policy to the policies topic, as an operator would; returns once Kafka has it. */
    public void writePolicy(String scope, TrafficPolicy policy) {
        try (RecordSender sender = new RecordSender(kafka.producer("sandbox-policy"), "sandbox-policy")) {
            Await.result(sender.send(settings.topics().policies(), scope, policy), Duration.ofSeconds(30),
                    "the policy to be written");
        }
    }

    /** Writes a practice run to the practice-runs topic, as an operator would; returns once Kafka has it. */
    public void writePracticeRun(String name, io.meshpilot.schemas.PracticeRun run) {
        try (RecordSender sender = new RecordSender(kafka.producer("sandbox-practice"), "sandbox-practice")) {
            Await.result(sender.send(settings.topics().practiceRuns(), name, run), Duration.ofSeconds(30),
                    "the practice run to be written");
        }
    }

    /** The control plane's latest status of a practice run, read from the practice-status topic. */
    public java.util.Optional<io.meshpilot.schemas.PracticeRunStatus> practiceStatus(String name) {
        var record = io.meshpilot.kafka.TopicSnapshot.latest(kafka.consumer("sandbox-practice",
                java.util.Optional.empty()), settings.topics().practiceStatus(), Duration.ofSeconds(30)).get(name);
        if (record == null || !(io.meshpilot.schemas.RecordCodec.get().decode(record.value(),
                io.meshpilot.schemas.PracticeRunStatus.class) instanceof io.meshpilot.schemas.Decoded.Valid<
                io.meshpilot.schemas.PracticeRunStatus> valid)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(valid.record());
    }

    /** Stops the control plane, as if every replica were down: no directive changes until it starts again. */
    public synchronized void stopControlPlane() {
        if (controlPlane != null) {
            controlPlane.close();
            controlPlane = null;
        }
    }

    /** Starts the control plane (again), on the same HTTP port; it reads the topics and decides from there. */
    public synchronized void startControlPlane() {
        if (controlPlane == null) {
            controlPlane = ControlPlane.start(controlPlaneSettings, clock);
            controlPlaneSettings = controlPlaneSettings.withHttp("127.0.0.1", controlPlane.httpPort());
        }
    }

    /** The control plane's HTTP address: the API, /healthz, /readyz and /metrics. */
    public String controlPlaneUrl() {
        return "http://127.0.0.1:" + controlPlane.httpPort();
    }

    /** Deletes a scope's policy with a tombstone, as an operator would. */
    public void deletePolicy(String scope) {
        try (RecordSender sender = new RecordSender(kafka.producer("sandbox-policy"), "sandbox-policy")) {
            Await.result(sender.tombstone(settings.topics().policies(), scope), Duration.ofSeconds(30),
                    "the policy tombstone to be written");
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public SandboxSettings settings() {
        return settings;
    }

    public SandboxRegion region(String name) {
        SandboxRegion region = regions.get(name);
        if (region == null) {
            throw new NoSuchElementException("no region " + name + " in this sandbox; it has " + regions.keySet());
        }
        return region;
    }

    public List<SandboxRegion> regions() {
        return List.copyOf(regions.values());
    }

    /** The files other tools read: DIR/kafka.properties, DIR/<region>.kubeconfig, DIR/prometheus.yml, DIR/ready. */
    public Path stateDir() {
        return settings.stateDir();
    }

    @Override
    public void close() {
        deleteQuietly(settings.stateDir().resolve("ready"));
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                LOG.atWarn().addKeyValue("error", e.toString()).log("error while stopping the sandbox");
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.atDebug().addKeyValue("file", file).log("cannot delete");
        }
    }
}
