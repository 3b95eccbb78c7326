package io.meshpilot.operations.monitoring;

import io.meshpilot.testing.DebianPackages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's promtool, run as an operator would, in a directory. */
final class Promtool {

    /** What a run printed and how it ended. */
    record Run(int exitCode, String output) {
    }

    private Promtool() {
    }

    static Run run(Path directory, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(DebianPackages.require("promtool", "prometheus").toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("promtool did not finish within 60 s: " + output);
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("cannot run promtool: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
