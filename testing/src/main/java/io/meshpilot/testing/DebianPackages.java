package io.meshpilot.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Debian tools some tests use as an operator would (kcat, Prometheus, promtool, kubectl): found on the PATH, or
 * installed with apt-get by the test set-up itself (as root, or with password-less sudo), so a clean machine runs the
 * same suite. A tool that can be neither found nor installed fails the test with what to install.
 */
public final class DebianPackages {

    private static boolean updated;

    private DebianPackages() {
    }

    /** The path of {@code command}, installing Debian's {@code debianPackage} first if it is missing. */
    public static synchronized Path require(String command, String debianPackage) {
        Optional<Path> found = which(command);
        if (found.isPresent()) {
            return found.get();
        }
        install(debianPackage);
        return which(command).orElseThrow(() -> new AssertionError("installed " + debianPackage + " but "
                + command + " is still not on the PATH"));
    }

    private static Optional<Path> which(String command) {
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(directory, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static void install(String debianPackage) {
        if (which("apt-get").isEmpty()) {
            throw new AssertionError("this test needs Debian's " + debianPackage + " and apt-get is not available: "
                    + "install " + debianPackage + " by hand");
        }
        if (!updated) {
            run(List.of("apt-get", "update", "-qq"));
            updated = true;
        }
        run(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", debianPackage));
    }

    private static void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("sudo", "-n"));
        }
        full.addAll(command);
        try {
            ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", full) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", full) + " could not run: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while installing", e);
        }
    }
}
