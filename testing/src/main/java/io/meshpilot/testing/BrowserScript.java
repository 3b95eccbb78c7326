package io.meshpilot.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js script driving a real browser, as the pages' tests need: Debian's Chromium (installed with apt-get when
 * missing) under {@code playwright-core} from the npm registry, installed by npm once into a cache directory
 * (~/.cache/meshpilot/playwright-core-VERSION). The script is a classpath resource; it finds the browser in
 * {@code MESHPILOT_CHROMIUM} and speaks line by line on stdin and stdout, so a test can drive it step by step.
 */
public final class BrowserScript implements AutoCloseable {

    static final String PLAYWRIGHT_CORE = "1.65.1";
    /** The options every script launches Chromium with (headless, no sandbox: tests may run as root). */
    public static final List<String> CHROMIUM_ARGS = List.of("--no-sandbox", "--disable-gpu",
            "--disable-background-networking");

    private final Process process;
    private final Writer input;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder errors = new StringBuilder();

    private BrowserScript(Process process) {
        this.process = process;
        this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> read(process.getInputStream(), lines), "browser-script-out");
        reader.setDaemon(true);
        reader.start();
        Thread errorReader = new Thread(() -> readErrors(process.getErrorStream()), "browser-script-err");
        errorReader.setDaemon(true);
        errorReader.start();
    }

    /** Starts {@code node <resource> args...}, the resource copied from the classpath to {@code workDir}. */
    public static BrowserScript start(String resource, Path workDir, List<String> args) {
        Path node = DebianPackages.require("node", "nodejs");
        Path chromium = DebianPackages.require("chromium", "chromium");
        Path modules = playwrightCore(node);
        try {
            Files.createDirectories(workDir);
            Path script = workDir.resolve(Path.of(resource).getFileName().toString());
            try (InputStream source = BrowserScript.class.getClassLoader().getResourceAsStream(resource)) {
                if (source == null) {
                    throw new AssertionError("no script " + resource + " on the classpath");
                }
                Files.copy(source, script, StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> command = new ArrayList<>(List.of(node.toString(), script.toString()));
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
            builder.environment().put("NODE_PATH", modules.toString());
            builder.environment().put("MESHPILOT_CHROMIUM", chromium.toString());
            builder.environment().put("MESHPILOT_CHROMIUM_ARGS", String.join(" ", CHROMIUM_ARGS));
            return new BrowserScript(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + resource, e);
        }
    }

    /**
     * The node_modules directory holding playwright-core, installed by npm on first use; under a file lock, since test
     * JVMs of several modules may ask at once (a parallel build).
     */
    static synchronized Path playwrightCore(Path node) {
        Path dir = Path.of(System.getProperty("user.home"), ".cache", "meshpilot", "playwright-core-" + PLAYWRIGHT_CORE);
        Path modules = dir.resolve("node_modules");
        if (installed(modules)) {
            return modules;
        }
        try {
            Files.createDirectories(dir.getParent());
            try (FileChannel lock = FileChannel.open(Path.of(dir + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock held = lock.lock()) {
                if (!installed(modules)) {
                    install(node, dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install playwright-core in " + dir, e);
        }
        return modules;
    }

    private static boolean installed(Path modules) {
        return Files.isRegularFile(modules.resolve("playwright-core").resolve("package.json"));
    }

    private static void install(Path node, Path dir) throws IOException {
        Path npm = node.resolveSibling("npm");
        Path tmp = Path.of(dir + ".tmp");
        run(List.of(Files.isExecutable(npm) ? npm.toString() : "npm", "install", "--prefix", tmp.toString(),
                "--no-audit", "--no-fund", "--no-save", "--loglevel=error", "playwright-core@" + PLAYWRIGHT_CORE));
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", command) + " could not run: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while installing playwright-core", e);
        }
    }

    /** Sends one line to the script. */
    public void send(String line) {
        try {
            input.write(line + "\n");
            input.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the browser script has stopped: " + errors(), e);
        }
    }

    /** The script's next line of output; fails naming its error output if none comes within the timeout. */
    public String nextLine(Duration timeout) {
        try {
            String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("the browser script printed nothing within " + timeout + "; exited: "
                        + !process.isAlive() + "; its errors: " + errors());
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Reads lines until one starts with {@code prefix}; returns the rest of it. */
    public String await(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = nextLine(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (line.startsWith("error ")) {
                throw new AssertionError("the browser script failed: " + line.substring(6) + "\n" + errors());
            }
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
    }

    public synchronized String errors() {
        return errors.toString();
    }

    private static void read(InputStream stream, BlockingQueue<String> into) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                into.add(line);
            }
        } catch (IOException e) {
            into.add("error output closed: " + e);
        }
    }

    private void readErrors(InputStream stream) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (this) {
                    errors.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    @Override
    public void close() {
        try {
            input.close();
        } catch (IOException e) {
            // already closed
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
