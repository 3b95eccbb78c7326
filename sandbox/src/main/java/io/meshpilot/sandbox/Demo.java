package io.meshpilot.sandbox;

import io.meshpilot.schemas.KubernetesContract;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.schemas.TrafficPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Replays the Cilium Cluster Mesh walkthrough in a fresh sandbox with meshpilot closing the loop, printing each
 * step's annotations per region, the reason, and how long after the change they were applied. Passes only if
 * every step ends with the expected annotations.
 */
public final class Demo {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    private static final int FAILBACK_SECONDS = 3;

    /** A change to the sandbox and the affinity each region's hello-world must then carry. */
    record Step(String title, Consumer<Sandbox> change, Map<String, String> affinity) {
    }

    private final PrintStream out;
    private final Clock clock;

    public Demo(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    static List<Step> steps() {
        return List.of(
                new Step("hello-world runs in us and eu with 2 replicas each: meshpilot marks it global and keeps "
                        + "each region's clients at home", sandbox -> { }, Map.of("us", "local", "eu", "local")),
                new Step("us is scaled to 0 replicas: its clients fail over to eu",
                        sandbox -> scale(sandbox, "us", 0), Map.of("us", "remote", "eu", "local")),
                new Step("us is scaled back to 2 replicas: its clients come home after the " + FAILBACK_SECONDS
                        + " s failback delay",
                        sandbox -> scale(sandbox, "us", 2), Map.of("us", "local", "eu", "local")));
    }

    /** Runs the demo; returns the process exit code: 0 if every step matched its expectation. */
    public int run() {
        Path stateDir = temporaryStateDir();
        long started = System.nanoTime();
        out.println("meshpilot demo: the Cilium Cluster Mesh walkthrough (clusters us and eu, service hello-world),");
        out.println("with meshpilot deciding the annotations. Starting the sandbox...");
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.walkthrough(stateDir), clock)) {
            out.printf("Sandbox up in %.1f s: Kafka at %s, kubeconfigs in %s%n", seconds(started),
                    sandbox.bootstrapServers(), stateDir);
            sandbox.writePolicy("*", new TrafficPolicy("*", null, null, null, null, FAILBACK_SECONDS, null, null,
                    null, null));
            out.printf("Policy for every Service (*): failbackDelaySeconds=%d, the rest by default%n%n",
                    FAILBACK_SECONDS);
            List<Step> steps = steps();
            int passed = 0;
            for (int i = 0; i < steps.size(); i++) {
                passed += runStep(sandbox, i + 1, steps.size(), steps.get(i), i == 0 ? started : 0) ? 1 : 0;
            }
            boolean ok = passed == steps.size();
            out.printf("%s: %d of %d steps matched their expectation (%.1f s in all).%n",
                    ok ? "Demo passed" : "Demo FAILED", passed, steps.size(), seconds(started));
            return ok ? 0 : 1;
        } finally {
            deleteQuietly(stateDir);
        }
    }

    private boolean runStep(Sandbox sandbox, int number, int count, Step step, long changedAt) {
        out.printf("[%d/%d] %s%n", number, count, step.title());
        long start = changedAt != 0 ? changedAt : System.nanoTime();
        step.change().accept(sandbox);
        boolean matched = true;
        for (Map.Entry<String, String> expected : step.affinity().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.reverseOrder())).toList()) {
            matched &= awaitAffinity(sandbox.region(expected.getKey()), expected.getValue());
        }
        out.printf("      %s: applied %.2f s after %s%n%n", matched ? "ok" : "FAILED, expected annotations not seen",
                seconds(start), changedAt != 0 ? "the sandbox started" : "the change");
        return matched;
    }

    private boolean awaitAffinity(SandboxRegion region, String affinity) {
        KubernetesClient client = region.client();
        Map<String, String> annotations = annotations(awaitService(client, affinity));
        boolean matched = affinity.equals(annotations.get(CiliumServiceConfig.AFFINITY));
        out.printf("      %-3s global=%s shared=%s affinity=%s%n", region.name(),
                annotations.getOrDefault(CiliumServiceConfig.GLOBAL, "-"),
                annotations.getOrDefault(CiliumServiceConfig.SHARED, "-"),
                annotations.getOrDefault(CiliumServiceConfig.AFFINITY, "-"));
        String version = annotations.get(KubernetesContract.DIRECTIVE_VERSION_ANNOTATION);
        if (version != null) {
            out.printf("          event: %s%n", awaitEvent(client, version));
        }
        return matched;
    }

    private static Service awaitService(KubernetesClient client, String affinity) {
        var service = client.services().inNamespace(WalkthroughWorkload.NAMESPACE)
                .withName(WalkthroughWorkload.SERVICE);
        try {
            return service.waitUntilCondition(candidate -> affinity.equals(annotations(candidate)
                    .get(CiliumServiceConfig.AFFINITY)), STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return service.get();
        }
    }

    /** The AffinityChanged Event the agent records right after applying the given directive version. */
    private static String awaitEvent(KubernetesClient client, String version) {
        String suffix = "(directive " + version + ")";
        try {
            List<Event> events = client.v1().events().inNamespace(WalkthroughWorkload.NAMESPACE)
                    .informOnCondition(all -> all.stream().anyMatch(event -> matches(event, suffix)))
                    .get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return events.stream().filter(event -> matches(event, suffix)).findFirst()
                    .map(Event::getMessage).orElseThrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while waiting for the event";
        } catch (ExecutionException | TimeoutException e) {
            return "no AffinityChanged event for directive " + version;
        }
    }

    private static boolean matches(Event event, String suffix) {
        return WalkthroughWorkload.SERVICE.equals(event.getInvolvedObject().getName())
                && KubernetesContract.AFFINITY_CHANGED_REASON.equals(event.getReason())
                && event.getMessage() != null && event.getMessage().endsWith(suffix);
    }

    private static Map<String, String> annotations(Service service) {
        return service == null || service.getMetadata().getAnnotations() == null ? Map.of()
                : service.getMetadata().getAnnotations();
    }

    static void scale(Sandbox sandbox, String region, int replicas) {
        sandbox.region(region).client().apps().deployments().inNamespace(WalkthroughWorkload.NAMESPACE)
                .withName(WalkthroughWorkload.SERVICE)
                .edit(deployment -> new DeploymentBuilder(deployment).editSpec().withReplicas(replicas).endSpec()
                        .build());
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static Path temporaryStateDir() {
        try {
            return Files.createTempDirectory("meshpilot-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the demo's state directory", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
