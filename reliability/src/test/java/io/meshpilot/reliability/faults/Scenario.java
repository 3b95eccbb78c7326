package io.meshpilot.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.agent.AgentSettings;
import io.meshpilot.sandbox.KubernetesBackend;
import io.meshpilot.sandbox.Sandbox;
import io.meshpilot.sandbox.SandboxRegion;
import io.meshpilot.sandbox.SandboxSettings;
import io.meshpilot.schemas.Topics;
import io.meshpilot.schemas.TrafficPolicy;
import io.meshpilot.testing.MetricsPage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One fault case: a two-region sandbox with a fleet of managed Services, a policy with a 1 s failback delay, and the
 * checks every case ends with: the annotations converge to what the fleet's replicas call for, no directive is lost
 * or applied out of order, and every component still answers as ready. It prints what was injected and observed.
 */
final class Scenario implements AutoCloseable {

    static final int SERVICES = 20;
    static final Duration CONVERGENCE = Duration.ofSeconds(60);

    private final String name;
    private final Sandbox sandbox;
    private final Fleet fleet;
    private final Topics topics;

    private Scenario(String name, Sandbox sandbox, Topics topics) {
        this.name = name;
        this.sandbox = sandbox;
        this.topics = topics;
        this.fleet = Fleet.deploy(sandbox, SERVICES);
    }

    /** On real regions (kube-apiserver, controllers, KWOK), shared by the cases of this JVM. */
    static Scenario start(String name, String bootstrapServers, Topics topics, Path stateDir,
            BiFunction<String, AgentSettings, AgentSettings> agents) {
        Sandbox sandbox = Sandbox.start(new SandboxSettings(List.of("us", "eu"), Optional.of(bootstrapServers),
                topics, stateDir, 2, 0, KubernetesBackend.REAL), Clock.systemUTC(), agents);
        try {
            sandbox.writePolicy("*", new TrafficPolicy("*", null, null, null, null, 1, null, null, null, null));
            Scenario scenario = new Scenario(name, sandbox, topics);
            scenario.converge();
            return scenario;
        } catch (RuntimeException | AssertionError e) {
            sandbox.close();
            throw e;
        }
    }

    static Scenario start(String name, String bootstrapServers, Topics topics, Path stateDir) {
        return start(name, bootstrapServers, topics, stateDir, (region, agent) -> agent);
    }

    Sandbox sandbox() {
        return sandbox;
    }

    Fleet fleet() {
        return fleet;
    }

    /** Fails over the first {@code count} Services of a region by scaling them to zero. */
    void failOver(String region, int count) {
        for (int i = 0; i < count; i++) {
            fleet.scale(region, i, 0);
        }
    }

    /** Brings the first {@code count} Services of a region back to their replicas. */
    void bringBack(String region, int count) {
        for (int i = 0; i < count; i++) {
            fleet.scale(region, i, Fleet.REPLICAS);
        }
    }

    /** Waits until every Service in every region carries the affinity its replicas call for; returns how long. */
    Duration converge() {
        long start = System.nanoTime();
        try {
            await("annotations of " + fleet.size() + " Services in " + fleet.regions() + " to converge")
                    .atMost(CONVERGENCE).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(fleet.differences()).isEmpty());
        } catch (ConditionTimeoutException e) {
            try {
                System.out.println(whatTheComponentsSay());
            } catch (RuntimeException | AssertionError unanswered) {
                System.out.println("[fault suite] " + name + " did not converge; cannot say more: " + unanswered);
            }
            throw e;
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** For a case that did not converge: each differing Service's endpoints and what the control plane knows of it. */
    private String whatTheComponentsSay() {
        StringBuilder report = new StringBuilder("[fault suite] " + name + " did not converge:");
        int port = URI.create(sandbox.controlPlaneUrl()).getPort();
        report.append("\n  control plane /readyz: ").append(MetricsPage.get(port, "/readyz").body());
        for (String difference : fleet.differences()) {
            String service = difference.substring(difference.indexOf('/') + 1, difference.indexOf(':'));
            report.append("\n  ").append(difference).append("\n    endpoints: ").append(fleet.endpoints(service))
                    .append("\n    control plane: ").append(MetricsPage.get(port, "/api/v1/services/"
                            + Fleet.NAMESPACE + "/" + service).body());
        }
        return report.append(pollThreads()).toString();
    }

    /** Where the threads that read and write Kafka are now: a case that does not converge may be stuck in one. */
    private static String pollThreads() {
        StringBuilder stacks = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, frames) -> {
            String name = thread.getName();
            if (name.equals("ownership") || name.endsWith("-poll") || name.endsWith("-send")) {
                stacks.append("\n  thread ").append(name).append(" (").append(thread.getState()).append(')');
                for (int i = 0; i < Math.min(frames.length, 12); i++) {
                    stacks.append("\n    at ").append(frames[i]);
                }
            }
        });
        return stacks.toString();
    }

    /** Converges, then checks the ledger and the components, and prints the report. */
    void assertRecovered(String injected) {
        assertRecovered(() -> injected);
    }

    /** As {@link #assertRecovered(String)}, describing the fault once it is over (with what it counted). */
    void assertRecovered(Supplier<String> injected) {
        Duration convergence = converge();
        Ledger.Summary[] summary = new Ledger.Summary[1];
        await("no directive lost or applied out of order").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    summary[0] = Ledger.check(sandbox, fleet, topics);
                    assertThat(summary[0].problems()).isEmpty();
                });
        assertReady();
        System.out.printf("[fault suite] %s%n  injected: %s%n  observed: %d Service-regions converged within %.1f s "
                + "of the last change; %d directives published, %d applied, none lost or out of order; every "
                + "component ready%n", name, injected.get(), fleet.size() * fleet.regions().size(),
                convergence.toMillis() / 1000.0, summary[0].published(), summary[0].applied());
    }

    private void assertReady() {
        assertThat(MetricsPage.get(URI.create(sandbox.controlPlaneUrl()).getPort(), "/readyz").statusCode())
                .as("control plane /readyz").isEqualTo(200);
        for (SandboxRegion region : sandbox.regions()) {
            await(region.name() + " agent ready").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(MetricsPage.get(region.agentHttpPort(), "/readyz").statusCode())
                            .as(region.name() + " agent /readyz").isEqualTo(200));
        }
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
