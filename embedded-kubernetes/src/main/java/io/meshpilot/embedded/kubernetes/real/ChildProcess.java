package io.meshpilot.embedded.kubernetes.real;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A component of a real region (etcd, kube-apiserver, ...) run as a child process, its output in a log file. It runs
 * under a small shell wrapper that stops it when its standard input closes: the component dies with the JVM however
 * the JVM ends (no shutdown hook, which could stop it before the sandbox's own hook has closed its agents).
 */
final class ChildProcess implements AutoCloseable {

    /**
     * Stops "$@" with SIGTERM when the JVM closes (or loses) the wrapper's standard input, and with SIGKILL 5 s later:
     * kube-apiserver's graceful shutdown never ends once etcd, stopped at the same moment, is gone.
     */
    private static final String WRAPPER = """
            exec 3<&0
            "$@" </dev/null 3<&- & child=$!
            { read -r _ <&3; kill -TERM "$child"; sleep 5; kill -KILL "$child"; } 2>/dev/null &
            watcher=$!
            wait "$child"; status=$?
            kill "$watcher" 2>/dev/null
            exit $status
            """;

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildProcess start(String name, List<String> command, Path log) {
        List<String> wrapped = new ArrayList<>(List.of("sh", "-c", WRAPPER, name));
        wrapped.addAll(command);
        try {
            Process process = new ProcessBuilder(wrapped).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ChildProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    String name() {
        return name;
    }

    /** Stops the component (SIGTERM, then SIGKILL after 10 s) and waits for it. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
