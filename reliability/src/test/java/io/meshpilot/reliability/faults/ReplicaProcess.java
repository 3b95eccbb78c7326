package io.meshpilot.reliability.faults;

import io.meshpilot.controlplane.ControlPlane;
import io.meshpilot.controlplane.ControlPlaneSettings;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A control-plane replica in a JVM of its own, so a test can kill it (SIGKILL: no transaction aborted, no group left,
 * nothing closed). Writes its HTTP port to a file once started.
 */
final class ReplicaProcess implements AutoCloseable {

    private final Process process;
    private final int httpPort;

    private ReplicaProcess(Process process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    /** Starts a replica of the default group on the broker and topics; returns once it serves HTTP. */
    static ReplicaProcess start(String bootstrap, Topics topics, String replicaId, Path dir) throws IOException {
        Path port = dir.resolve(replicaId + ".port");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), ReplicaProcess.class.getName(), bootstrap,
                topics.prefix(), replicaId, port.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(replicaId + ".log").toFile()).start();
        try {
            Awaitility.await("replica " + replicaId + " to start (log: " + dir.resolve(replicaId + ".log") + ")")
                    .atMost(Duration.ofSeconds(60)).until(() -> !process.isAlive() || Files.exists(port));
            if (!process.isAlive()) {
                throw new IllegalStateException("replica " + replicaId + " exited with " + process.exitValue()
                        + ": " + Files.readString(dir.resolve(replicaId + ".log")));
            }
            return new ReplicaProcess(process, Integer.parseInt(Files.readString(port).trim()));
        } catch (RuntimeException | IOException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    int httpPort() {
        return httpPort;
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the killed replica is still running");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** {@code bootstrap prefix replicaId portFile}; exits when its standard input closes (the test JVM is gone). */
    public static void main(String[] args) throws Exception {
        ControlPlane replica = ControlPlane.start(ControlPlaneSettings.of(KafkaSettings.bootstrap(args[0]),
                new Topics(args[1]), args[2]), Clock.systemUTC());
        Path port = Path.of(args[3]);
        Path written = Files.writeString(port.resolveSibling(port.getFileName() + ".tmp"),
                Integer.toString(replica.httpPort()));
        Files.move(written, port);
        while (System.in.read() != -1) {
            // the parent never writes; end of input means it has exited
        }
        System.exit(0);
    }
}
