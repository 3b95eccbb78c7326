package io.meshpilot.embedded.kubernetes.real;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Kubernetes components a region runs, as built by {@code build-kube.sh} (shipped as a resource beside this
 * class) into a per-version directory of the user's cache: kube-apiserver, kube-controller-manager, kube-scheduler,
 * etcd, kwok and kwok's stages.
 */
public record KubeBinaries(Path directory) {

    /** The versions the script pins; the cache directory is named after them. */
    public static final String VERSIONS = "k8s-1.37.2-etcd-3.7.0-kwok-0.8.0";
    public static final String SCRIPT = "build-kube.sh";
    static final List<String> COMMANDS = List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler",
            "etcd", "kwok");
    private static final Logger LOG = LoggerFactory.getLogger(KubeBinaries.class);

    /** Where the binaries live: {@code $MESHPILOT_KUBE_CACHE}, else {@code ${XDG_CACHE_HOME:-~/.cache}/meshpilot/kube}. */
    public static Path cacheRoot() {
        String explicit = System.getenv("MESHPILOT_KUBE_CACHE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("meshpilot").resolve("kube");
    }

    /** The binaries, if they have been built on this machine. */
    public static Optional<KubeBinaries> installed() {
        KubeBinaries binaries = new KubeBinaries(cacheRoot().resolve(VERSIONS));
        return binaries.complete() ? Optional.of(binaries) : Optional.empty();
    }

    /** The binaries, built first if they are missing (this takes minutes once; it needs Go and a module proxy). */
    public static synchronized KubeBinaries require() {
        return installed().orElseGet(KubeBinaries::build);
    }

    private static KubeBinaries build() {
        Path script = extractScript();
        LOG.atInfo().addKeyValue("script", script).addKeyValue("into", cacheRoot().resolve(VERSIONS))
                .log("building the real Kubernetes components (once per machine; minutes)");
        try {
            Process process = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            if (!process.waitFor(60, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("building the real Kubernetes components failed (" + script
                        + "); run it by hand to see why, or use --kubernetes embedded");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the Kubernetes components", e);
        }
        return installed().orElseThrow(() -> new IllegalStateException(script + " succeeded but "
                + cacheRoot().resolve(VERSIONS) + " lacks some of " + COMMANDS));
    }

    /** Copies the build script out of the classpath into the cache root, so a user can run it too. */
    public static Path extractScript() {
        Path target = cacheRoot().resolve(SCRIPT);
        try (InputStream in = KubeBinaries.class.getResourceAsStream("/io/meshpilot/embedded/kubernetes/" + SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the classpath");
            }
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), SCRIPT, ".tmp");
            Files.write(temporary, in.readAllBytes());
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private boolean complete() {
        return COMMANDS.stream().allMatch(command -> Files.isExecutable(directory.resolve(command)))
                && Files.isReadable(kwokStages());
    }

    /** KWOK's own stages at the pinned version, copied from its module by the script. */
    public Path kwokStages() {
        return directory.resolve("kwok-stages.yaml");
    }

    public Path command(String name) {
        return directory.resolve(name);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
