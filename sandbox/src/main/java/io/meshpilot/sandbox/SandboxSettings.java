package io.meshpilot.sandbox;

import io.meshpilot.schemas.Names;
import io.meshpilot.schemas.Topics;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * What the sandbox runs: its regions, an outside Kafka or the embedded broker, the topic prefix, where it writes
 * kubeconfigs, how many hello-world replicas each region starts with, the control plane's HTTP port (0: any free
 * one), and which Kubernetes API server each region runs.
 */
public record SandboxSettings(List<String> regions, Optional<String> kafkaBootstrap, Topics topics, Path stateDir,
        int replicas, int httpPort, KubernetesBackend kubernetes) {

    public static final Path DEFAULT_STATE_DIR = Path.of(".meshpilot", "sandbox");

    public SandboxSettings {
        regions = List.copyOf(regions);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("--regions must name at least one region");
        }
        if (new LinkedHashSet<>(regions).size() != regions.size()) {
            throw new IllegalArgumentException("--regions names a region twice: " + regions);
        }
        for (String region : regions) {
            Names.region(region).ifPresent(problem -> {
                throw new IllegalArgumentException("--regions: '" + region + "' " + problem);
            });
        }
        if (replicas < 0) {
            throw new IllegalArgumentException("--replicas must not be negative, got " + replicas);
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("--http-port must be within 0..65535, got " + httpPort);
        }
        if (kubernetes == null) {
            throw new IllegalArgumentException("--kubernetes must be real or embedded");
        }
    }

    public SandboxSettings withKubernetes(KubernetesBackend backend) {
        return new SandboxSettings(regions, kafkaBootstrap, topics, stateDir, replicas, httpPort, backend);
    }

    /** The walkthrough's two clusters, us and eu, on the embedded broker, the API on a free port. */
    public static SandboxSettings walkthrough(Path stateDir, KubernetesBackend kubernetes) {
        return new SandboxSettings(List.of("us", "eu"), Optional.empty(), Topics.defaults(), stateDir, 2, 0,
                kubernetes);
    }
}
