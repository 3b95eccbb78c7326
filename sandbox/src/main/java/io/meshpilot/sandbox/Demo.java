package io.meshpilot.sandbox;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.controlplane.practice.PracticePhase;
import io.meshpilot.schemas.KubernetesContract;
import io.meshpilot.schemas.PolicyMode;
import io.meshpilot.schemas.PracticeRun;
import io.meshpilot.schemas.PracticeRunStatus;
import io.meshpilot.schemas.TrafficPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Replays the Cilium Cluster Mesh walkthrough in a fresh sandbox, and what meshpilot adds beyond it. For each step it
 * prints the annotations of every region, the reason, the time from the change to the annotations being applied,
 * and 10 requests from a client in each region (answered by the backends the Cilium routing model says it reaches).
 * It passes only if every step's routing matches its expectation.
 */
public final class Demo {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    private static final int FAILBACK_SECONDS = 3;
    private static final int STALE_AFTER_SECONDS = 3;
    private static final String HELLO_WORLD = WalkthroughWorkload.NAMESPACE + "/" + WalkthroughWorkload.SERVICE;
    private static final Set<String> US = Set.of("us");
    private static final Set<String> EU = Set.of("eu");
    private static final Set<String> BOTH = Set.of("us", "eu");
    /** The what-if step asks about us going down just before us is scaled to 0 (the step it predicts). */
    private static final int WHAT_IF_BEFORE = 3;
    /** The practice run drains us once it is home again and healthy (a run never starts during an incident). */
    private static final int PRACTICE_AFTER = 4;
    private static final int PRACTICE_SECONDS = 2;
    private static final int PRACTICE_STALE_AFTER_SECONDS = 15;

    /**
     * What a region must show after a step: its affinity annotation ({@code none}: balanced, null: no meshpilot
     * annotation at all), the reason of its directive, and the regions its clients reach.
     */
    record Expectation(String region, String affinity, String reason, Set<String> reaches) {
    }

    /** A change to the sandbox, and what each region must then show. */
    record Step(String title, Consumer<Sandbox> change, List<Expectation> expectations) {
    }

    private final PrintStream out;
    private final Clock clock;
    private final KubernetesBackend kubernetes;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public Demo(PrintStream out, Clock clock, KubernetesBackend kubernetes) {
        this.out = out;
        this.clock = clock;
        this.kubernetes = kubernetes;
    }

    List<Step> steps() {
        return List.of(
                new Step("Before meshpilot: each cluster's hello-world is local only (policy * mode unmanaged)",
                        sandbox -> sandbox.writePolicy("*", policy(PolicyMode.UNMANAGED, null)),
                        List.of(new Expectation("us", null, "unmanaged-by-policy", US),
                                new Expectation("eu", null, "unmanaged-by-policy", EU))),
                new Step("Global: balanced across both clusters (policy * mode balanced)",
                        sandbox -> sandbox.writePolicy("*", policy(PolicyMode.BALANCED, null)),
                        List.of(new Expectation("us", "none", "pinned-by-policy", BOTH),
                                new Expectation("eu", "none", "pinned-by-policy", BOTH))),
                new Step("meshpilot decides (policy * mode auto, 2 ready endpoints needed): affinity=local, each "
                        + "region stays home", sandbox -> sandbox.writePolicy("*", policy(PolicyMode.AUTO, 2)),
                        List.of(new Expectation("us", "local", "local-healthy", US),
                                new Expectation("eu", "local", "local-healthy", EU))),
                new Step("us is scaled to 0 replicas: its clients reach Europe",
                        sandbox -> scale(sandbox, "us", 0, 0),
                        List.of(new Expectation("us", "remote", "local-degraded", EU),
                                new Expectation("eu", "local", "local-healthy", EU))),
                new Step("us is scaled back to 2 replicas: home again after the " + FAILBACK_SECONDS
                        + " s failback delay", sandbox -> scale(sandbox, "us", 2, 0),
                        List.of(new Expectation("us", "local", "local-healthy", US),
                                new Expectation("eu", "local", "local-healthy", EU))),
                new Step("us degraded: 2 of its 3 pods unready; it fails over before reaching zero (by hand, "
                        + "affinity=local would keep us clients on the one pod left)",
                        sandbox -> scale(sandbox, "us", 3, 2),
                        List.of(new Expectation("us", "remote", "local-degraded", EU),
                                new Expectation("eu", "local", "local-healthy", EU))),
                new Step("us drained for maintenance by a policy written to the policy topic",
                        sandbox -> {
                            scale(sandbox, "us", 3, 0);
                            sandbox.writePolicy(HELLO_WORLD, new TrafficPolicy(HELLO_WORLD, null, 2, null, null,
                                    FAILBACK_SECONDS, STALE_AFTER_SECONDS, null, null, List.of("us")));
                        },
                        List.of(new Expectation("us", "remote", "drained", EU),
                                new Expectation("eu", "local", "local-healthy", EU))));
    }

    /** Runs the demo; returns the process exit code: 0 if every step matched its expectation. */
    public int run() {
        Path stateDir = temporaryStateDir();
        long started = System.nanoTime();
        out.println("meshpilot demo: the Cilium Cluster Mesh walkthrough (clusters us and eu, service hello-world),");
        out.println("and what meshpilot does beyond it. Starting the sandbox (Kubernetes: " + kubernetes + ")...");
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.walkthrough(stateDir, kubernetes), clock)) {
            out.printf("Sandbox up in %.1f s: Kafka at %s, control plane at %s, kubeconfigs in %s%n%n",
                    seconds(started), sandbox.bootstrapServers(), sandbox.controlPlaneUrl(), stateDir);
            List<Step> steps = steps();
            int total = steps.size() + 3;
            int passed = 0;
            int number = 0;
            for (int i = 0; i < steps.size(); i++) {
                if (i == WHAT_IF_BEFORE) {
                    passed += whatIf(sandbox, ++number, total) ? 1 : 0;
                }
                passed += runStep(sandbox, ++number, total, steps.get(i)) ? 1 : 0;
                if (i == PRACTICE_AFTER) {
                    passed += practiceRun(sandbox, ++number, total) ? 1 : 0;
                }
            }
            passed += failStatic(sandbox, total) ? 1 : 0;
            boolean ok = passed == total;
            out.printf("%s: %d of %d steps matched their expectation (%.1f s in all).%n",
                    ok ? "Demo passed" : "Demo FAILED", passed, total, seconds(started));
            return ok ? 0 : 1;
        } finally {
            deleteQuietly(stateDir);
        }
    }

    private boolean runStep(Sandbox sandbox, int number, int count, Step step) {
        out.printf("[%d/%d] %s%n", number, count, step.title());
        long start = System.nanoTime();
        step.change().accept(sandbox);
        boolean matched = true;
        for (Expectation expected : step.expectations()) {
            Optional<String> event = awaitDirective(sandbox.region(expected.region()), expected);
            matched &= report(sandbox, expected, event.orElse("not applied within " + STEP_TIMEOUT.toSeconds()
                    + " s"), event.isPresent());
        }
        out.printf("      %s: applied %.2f s after the change%n%n", matched ? "ok" : "FAILED", seconds(start));
        return matched;
    }

    /**
     * Step 4: asks the control plane what would happen if us went down ({@code POST /api/v1/what-if}, as
     * {@code meshpilot what-if --down us} does); it must predict what step 5 then does, and change nothing.
     */
    private boolean whatIf(Sandbox sandbox, int number, int count) {
        out.printf("[%d/%d] What if us went down? (meshpilot what-if --down us: a simulation, nothing is published)%n",
                number, count);
        long start = System.nanoTime();
        String versionBefore = annotations(service(sandbox.region("us").client()))
                .get(KubernetesContract.DIRECTIVE_VERSION_ANNOTATION);
        // The demo's staleAfter (3 s) is shorter than the agents' heartbeat interval (5 s): ask while both are heard.
        AtomicReference<JsonObject> answer = new AtomicReference<>(new JsonObject());
        until(() -> {
            answer.set(whatIf(sandbox, "{\"changes\":[{\"region\":\"us\",\"change\":\"down\"}]}"));
            return answer.get().containsKey("services")
                    && !answer.get().encode().contains("\"state\":\"stale\"");
        });
        JsonObject report = answer.get();
        if (!report.containsKey("services")) {
            out.printf("      the control plane did not answer: %s%n", report.encode());
        }
        Map<String, Set<String>> reachedAfter = new TreeMap<>();
        Map<String, String> reasonAfter = new TreeMap<>();
        for (Object service : report.getJsonArray("services", new JsonArray())) {
            JsonObject effect = (JsonObject) service;
            if (!HELLO_WORLD.equals(effect.getString("namespace") + "/" + effect.getString("name"))) {
                continue;
            }
            for (Object entry : effect.getJsonArray("regions")) {
                JsonObject region = (JsonObject) entry;
                JsonObject before = region.getJsonObject("before");
                JsonObject after = region.getJsonObject("after");
                reachedAfter.put(region.getString("region"), after.getJsonObject("routes").fieldNames());
                reasonAfter.put(region.getString("region"), after.getString("reason"));
                out.printf("      %-3s now %s, clients reach %s; would be %s (affinity=%s shared=%s), clients "
                        + "reach %s%n", region.getString("region"), before.getString("reason"),
                        before.getJsonObject("routes").fieldNames(), after.getString("reason"),
                        after.getString("affinity"), after.getBoolean("shared"),
                        after.getJsonObject("routes").fieldNames());
            }
        }
        List<Object> outages = report.getJsonArray("globalOutages", new JsonArray()).getList();
        out.printf("      global outage: %s; Services unchanged: %d%n", outages.isEmpty() ? "none" : outages,
                report.getInteger("unchanged", 0));
        String versionAfter = annotations(service(sandbox.region("us").client()))
                .get(KubernetesContract.DIRECTIVE_VERSION_ANNOTATION);
        boolean matched = "local-degraded".equals(reasonAfter.get("us")) && EU.equals(reachedAfter.get("us"))
                && EU.equals(reachedAfter.get("eu")) && outages.isEmpty() && Objects.equals(versionBefore,
                        versionAfter) && !report.getBoolean("published", true);
        out.printf("      %s: answered in %.2f s; us still carries directive %s%n%n", matched ? "ok" : "FAILED",
                seconds(start), versionAfter);
        return matched;
    }

    /**
     * Step 7: a practice run drains us for a few seconds ({@code meshpilot practice start}); the control plane
     * measures the time from the drain to each region's agent applying it, and the failback after the window, and
     * reports them on the practice-status topic ({@code meshpilot practice status}).
     */
    private boolean practiceRun(Sandbox sandbox, int number, int count) {
        out.printf("[%d/%d] Practice run: us drained for %d s (meshpilot practice start demo-drill --region us "
                + "--duration %ds), measured and failed back%n", number, count, PRACTICE_SECONDS, PRACTICE_SECONDS);
        long start = System.nanoTime();
        // A stale region is no target, so a drain cannot hold while eu is stale: the demo's staleAfter (3 s, shorter
        // than the agents' 5 s heartbeat) would abort the run (drain-overridden); the default holds for this step.
        sandbox.writePolicy("*", new TrafficPolicy("*", PolicyMode.AUTO, 2, null, null, FAILBACK_SECONDS,
                PRACTICE_STALE_AFTER_SECONDS, null, null, null));
        until(() -> api(sandbox).contains("\"staleAfterSeconds\":" + PRACTICE_STALE_AFTER_SECONDS)
                && !api(sandbox).contains("\"stale\":true"));
        sandbox.writePracticeRun("demo-drill", new PracticeRun(null, "us", null, PRACTICE_SECONDS,
                List.of(HELLO_WORLD), null, null));
        Optional<String> drained = awaitDirective(sandbox.region("us"), new Expectation("us", "remote", "drained",
                EU));
        boolean matched = report(sandbox, new Expectation("us", "remote", "drained", EU),
                drained.orElse("not drained within " + STEP_TIMEOUT.toSeconds() + " s"), drained.isPresent());
        AtomicReference<PracticeRunStatus> status = new AtomicReference<>();
        boolean ended = until(() -> {
            sandbox.practiceStatus("demo-drill").ifPresent(status::set);
            return status.get() != null && PracticePhase.fromWire(status.get().phase())
                    .map(PracticePhase::ended).orElse(false);
        });
        PracticeRunStatus report = status.get();
        if (report == null) {
            out.printf("      no practice-run status within %d s%n", STEP_TIMEOUT.toSeconds());
            return false;
        }
        out.printf("      practice run %s: %s%s%n", report.name(), report.phase(),
                report.reason() == null ? "" : " (" + report.reason() + ": " + report.detail() + ")");
        for (PracticeRunStatus.ServiceReport service : report.services() == null
                ? List.<PracticeRunStatus.ServiceReport>of() : report.services()) {
            out.printf("      %s/%s drain applied: %s; failback applied: %s%n", service.namespace(),
                    service.service(), times(service.drain()), times(service.failback()));
        }
        out.printf(java.util.Locale.ROOT, "      slowest drain %.2f s, slowest failback %.2f s (the %d s failback "
                + "delay included)%n", Objects.requireNonNullElse(report.drainSeconds(), Double.NaN),
                Objects.requireNonNullElse(report.failbackSeconds(), Double.NaN), FAILBACK_SECONDS);
        Optional<String> home = awaitDirective(sandbox.region("us"), new Expectation("us", "local", "local-healthy",
                US));
        matched &= report(sandbox, new Expectation("us", "local", "local-healthy", US),
                home.orElse("not home within " + STEP_TIMEOUT.toSeconds() + " s"), home.isPresent());
        matched &= ended && "completed".equals(report.phase()) && report.drainSeconds() != null
                && report.failbackSeconds() != null;
        sandbox.writePolicy("*", policy(PolicyMode.AUTO, 2));
        until(() -> api(sandbox).contains("\"staleAfterSeconds\":" + STALE_AFTER_SECONDS));
        out.printf("      %s: the run took %.2f s from its record to the report%n%n", matched ? "ok" : "FAILED",
                seconds(start));
        return matched;
    }

    private static String times(List<PracticeRunStatus.RegionTime> regions) {
        return regions.isEmpty() ? "-" : String.join(", ", regions.stream().map(region -> region.region() + " "
                + (region.seconds() == null ? "not applied" : String.format(java.util.Locale.ROOT, "%.2f s",
                region.seconds()))).toList());
    }

    private JsonObject whatIf(Sandbox sandbox, String body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(sandbox.controlPlaneUrl()
                    + "/api/v1/what-if")).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? new JsonObject(response.body())
                    : new JsonObject().put("status", response.statusCode()).put("body", response.body());
        } catch (IOException e) {
            return new JsonObject();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new JsonObject();
        }
    }

    /** Step 10: the us agent stops; us falls silent and its last directive stays, whatever else changes. */
    private boolean failStatic(Sandbox sandbox, int count) {
        out.printf("[%d/%d] us agent stopped: us falls silent (stale after %d s); meshpilot holds its last directive "
                + "(fail static) even when the drain is lifted%n", count, count, STALE_AFTER_SECONDS);
        long start = System.nanoTime();
        String heldVersion = annotations(service(sandbox.region("us").client()))
                .get(KubernetesContract.DIRECTIVE_VERSION_ANNOTATION);
        sandbox.region("us").stopAgent();
        boolean stale = until(() -> api(sandbox).contains("\"region\":\"us\",\"state\":\"stale\""));
        sandbox.deletePolicy(HELLO_WORLD);
        boolean lifted = until(() -> api(sandbox).contains("\"scope\":\"*\""));
        String heldEvent = lastEvent(sandbox.region("us").client(), heldVersion).orElse("no event");
        boolean held = heldVersion.equals(annotations(service(sandbox.region("us").client()))
                .get(KubernetesContract.DIRECTIVE_VERSION_ANNOTATION));
        boolean usMatched = report(sandbox, new Expectation("us", "remote", "drained", EU),
                heldEvent + " [held: us is stale]", stale && lifted && held);
        boolean euMatched = report(sandbox, new Expectation("eu", "local", "local-healthy", EU),
                lastEvent(sandbox.region("eu").client(), null).orElse("no event"), true);
        boolean matched = usMatched && euMatched;
        out.printf("      %s: us seen stale and its directive %s held, %.2f s after the agent stopped%n%n",
                matched ? "ok" : "FAILED", heldVersion, seconds(start));
        return matched;
    }

    private boolean report(Sandbox sandbox, Expectation expected, String event, boolean applied) {
        Map<String, String> annotations = annotations(service(sandbox.region(expected.region()).client()));
        Set<String> reached = ClientTraffic.reachable(sandbox, expected.region()).keySet();
        boolean matched = applied && reached.equals(expected.reaches());
        out.printf("      %-3s global=%s shared=%s affinity=%s%n", expected.region(),
                annotations.getOrDefault(CiliumServiceConfig.GLOBAL, "-"),
                annotations.getOrDefault(CiliumServiceConfig.SHARED, "-"),
                annotations.getOrDefault(CiliumServiceConfig.AFFINITY,
                        annotations.containsKey(CiliumServiceConfig.GLOBAL) ? "(none)" : "-"));
        out.printf("          event: %s%n", event);
        out.printf("          10 requests from a client in %s: %s%s%n", expected.region(),
                answers(ClientTraffic.requests(sandbox, expected.region(), 10)),
                reached.equals(expected.reaches()) ? "" : "   [expected only " + expected.reaches() + "]");
        return matched;
    }

    /**
     * Waits for the region's Service to carry the expected affinity from a directive with the expected reason, and
     * returns the Event that says so. The Event comes after the annotations, from another request, so both are
     * polled together.
     */
    private static Optional<String> awaitDirective(SandboxRegion region, Expectation expected) {
        KubernetesClient client = region.client();
        AtomicReference<String> found = new AtomicReference<>();
        until(() -> {
            matching(client, client.v1().events().inNamespace(WalkthroughWorkload.NAMESPACE).list().getItems(),
                    expected).ifPresent(found::set);
            return found.get() != null;
        });
        return Optional.ofNullable(found.get());
    }

    private static Optional<String> matching(KubernetesClient client, List<Event> events, Expectation expected) {
        Map<String, String> annotations = annotations(service(client));
        String affinity = annotations.get(CiliumServiceConfig.AFFINITY);
        boolean affinityMatches = expected.affinity() == null ? !annotations.containsKey(CiliumServiceConfig.GLOBAL)
                : expected.affinity().equals("none") ? affinity == null && annotations.containsKey(
                        CiliumServiceConfig.GLOBAL) : expected.affinity().equals(affinity);
        String suffix = ": " + expected.reason() + " (directive "
                + annotations.get(KubernetesContract.DIRECTIVE_VERSION_ANNOTATION) + ")";
        return affinityMatches ? events.stream().filter(event -> isHelloWorldChange(event)
                && event.getMessage().endsWith(suffix)).map(Event::getMessage).findFirst() : Optional.empty();
    }

    private static Optional<String> lastEvent(KubernetesClient client, String version) {
        String current = version != null ? version
                : annotations(service(client)).get(KubernetesContract.DIRECTIVE_VERSION_ANNOTATION);
        return client.v1().events().inNamespace(WalkthroughWorkload.NAMESPACE).list().getItems().stream()
                .filter(Demo::isHelloWorldChange)
                .filter(event -> event.getMessage().endsWith("(directive " + current + ")"))
                .map(Event::getMessage).findFirst();
    }

    private static boolean isHelloWorldChange(Event event) {
        return WalkthroughWorkload.SERVICE.equals(event.getInvolvedObject().getName())
                && KubernetesContract.AFFINITY_CHANGED_REASON.equals(event.getReason()) && event.getMessage() != null;
    }

    private static String answers(Map<String, Integer> answers) {
        return String.join(", ", answers.entrySet().stream()
                .map(answer -> answer.getValue() + " x " + answer.getKey()).toList());
    }

    private static Service service(KubernetesClient client) {
        return client.services().inNamespace(WalkthroughWorkload.NAMESPACE).withName(WalkthroughWorkload.SERVICE)
                .get();
    }

    /** A Service's annotations; one without a value is absent (fabric8's mock keeps keys a merge patch removed). */
    private static Map<String, String> annotations(Service service) {
        Map<String, String> present = new TreeMap<>();
        if (service != null && service.getMetadata().getAnnotations() != null) {
            service.getMetadata().getAnnotations().forEach((name, value) -> {
                if (value != null) {
                    present.put(name, value);
                }
            });
        }
        return present;
    }

    private static void scale(Sandbox sandbox, String region, int replicas, int unready) {
        sandbox.region(region).scaleHelloWorld(replicas, unready);
    }

    private static TrafficPolicy policy(PolicyMode mode, Integer minReadyEndpoints) {
        return new TrafficPolicy("*", mode, minReadyEndpoints, null, null, FAILBACK_SECONDS, STALE_AFTER_SECONDS, null,
                null, null);
    }

    private String api(Sandbox sandbox) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(sandbox.controlPlaneUrl() + "/api/v1/services/"
                    + HELLO_WORLD)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Polls a condition every 100 ms, up to the step timeout (the demo is a program, not an event loop). */
    private static boolean until(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(STEP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        return false;
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
