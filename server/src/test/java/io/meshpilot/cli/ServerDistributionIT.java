package io.meshpilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, point 1: the server distribution that {@code package} builds (what the image runs) holds the agent and
 * the control plane and nothing of the sandbox, the embedded broker or the mock API server, and runs as a user would
 * run it.
 */
class ServerDistributionIT {

    private static final Path JAR = Path.of("target", "meshpilot-server.jar");

    /** Packages of what must never ship in the server: the sandbox, the Kafka broker (Scala), the mock server. */
    private static final List<String> BANNED = List.of("io/meshpilot/sandbox/", "io/meshpilot/embedded/",
            "io/meshpilot/testing/", "kafka/server/", "kafka/Kafka", "org/apache/kafka/raft/",
            "org/apache/kafka/metadata/", "org/apache/kafka/storage/", "org/apache/kafka/coordinator/",
            "scala/", "io/fabric8/mockwebserver/", "io/fabric8/kubernetes/client/server/mock/",
            "org/bouncycastle/", "org/apache/commons/collections/", "org/jose4j/", "net/sourceforge/argparse4j/",
            "org/yaml/snakeyaml/", "io/meshpilot/cli/SandboxCommand", "io/meshpilot/cli/DemoCommand");

    @Test
    void holdsNoSandboxBrokerOrMockServer() throws IOException {
        List<String> found = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (ZipEntry entry : Collections.list(jar.entries())) {
                BANNED.stream().filter(entry.getName()::startsWith).findFirst()
                        .ifPresent(banned -> found.add(entry.getName()));
            }
            assertThat(jar.getEntry("io/meshpilot/agent/RegionAgent.class")).isNotNull();
            assertThat(jar.getEntry("io/meshpilot/controlplane/ControlPlane.class")).isNotNull();
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("io.meshpilot.cli.Meshpilot");
        }
        assertThat(found).isEmpty();
    }

    @Test
    void runsTheServerCommands() throws Exception {
        String help = run(List.of("--help"));

        assertThat(help).contains("  control-plane ", "  agent ", "  policy ", "  status ", "  version ")
                .doesNotContain("  sandbox ", "  demo ");
    }

    @Test
    void readsFlagsFromTheirEnvironmentTwins(@TempDir Path dir) throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "scope: default/hello-world\nmode: local\n");

        String output = run(List.of("policy", "apply"), "MESHPILOT_POLICY_FILE", policy.toString(),
                "MESHPILOT_POLICY_DRY_RUN", "true");

        assertThat(output).isEqualTo("default/hello-world: valid (dry run, not written)\n");
        assertThat(run(List.of("topics", "create"), "MESHPILOT_TOPICS_REGIONS", "US", "MESHPILOT_KAFKA_BOOTSTRAP",
                "127.0.0.1:1")).startsWith("topics create: region 'US' must be a DNS-1123 label");
    }

    @Test
    void logsOnlyJsonLinesAndKeepsListingWhenTheApiServerIsUnreachable(@TempDir Path dir) throws Exception {
        int closed;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:%d"}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                users: [{name: u, user: {token: t}}]
                """.formatted(closed));

        List<String> output = runUntil(List.of("--log-format", "json", "agent", "--region", "us",
                "--kafka-bootstrap", "127.0.0.1:" + closed, "--kubeconfig", kubeconfig.toString(), "--http-port", "0"),
                line -> line.contains("cannot list Services and EndpointSlices; listing again"));

        List<JsonNode> lines = new ArrayList<>();
        for (String line : output) {
            lines.add(OutputOption.JSON.readTree(line));
        }
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line.has("time") && line.has("level")
                && line.has("logger") && line.has("message")).as(line.toString()).isTrue());
        assertThat(lines.get(lines.size() - 1).toString()).contains("Connection refused");
    }

    /**
     * Runs the jar as the image does until it prints a line that matches (standard output and error together), then
     * stops it; the lines up to that one.
     */
    private static List<String> runUntil(List<String> args, java.util.function.Predicate<String> last)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch printed = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8)).lines().forEach(line -> {
                    lines.add(line);
                    if (last.test(line)) {
                        printed.countDown();
                    }
                }));
        reader.setDaemon(true);
        reader.start();
        try {
            assertThat(printed.await(60, TimeUnit.SECONDS)).as(String.join("\n", lines)).isTrue();
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        synchronized (lines) {
            int end = 0;
            while (!last.test(lines.get(end))) {
                end++;
            }
            return List.copyOf(lines.subList(0, end + 1));
        }
    }

    /** Runs the jar as the image does; standard output and error together. */
    private static String run(List<String> args, String... environment) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        for (int i = 0; i < environment.length; i += 2) {
            builder.environment().put(environment[i], environment[i + 1]);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
