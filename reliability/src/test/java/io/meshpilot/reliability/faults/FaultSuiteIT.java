package io.meshpilot.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.agent.AgentSettings;
import io.meshpilot.agent.kubernetes.KubernetesCalls;
import io.meshpilot.controlplane.ControlPlane;
import io.meshpilot.controlplane.ControlPlaneSettings;
import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.embedded.kubernetes.faults.ApiRequest;
import io.meshpilot.embedded.kubernetes.faults.FaultProxy;
import io.meshpilot.embedded.kubernetes.real.RealRegions;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.runtime.Await;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.BrokerLink;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.MetricsPage;
import io.meshpilot.testing.TopicReader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fault suite: each case runs two regions with {@value Scenario#SERVICES} managed Services each, breaks something
 * while Services fail over and come back, and then requires every annotation to converge, every directive to have
 * been applied in order with none lost, and every component to be ready (see {@link Scenario}). The cases that break
 * the API server run on real regions with a fault proxy in front of us; the cases that break Kafka, the control plane
 * or an agent run on the embedded backend, whose API server they leave alone.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FaultSuiteIT {

    private static final int GARBAGE = 10_000;
    private static final KubernetesCalls.Policy QUICK_RETRIES =
            new KubernetesCalls.Policy(Duration.ofMillis(500), 4, Duration.ofMillis(100), Duration.ofSeconds(1), 50);
    /**
     * On real regions the request timeout also bounds each TLS connection set-up (to the proxy): 500 ms is not enough
     * on a loaded machine, and the agent does not start when its first list times out.
     */
    private static final KubernetesCalls.Policy QUICK_RETRIES_ON_TLS =
            new KubernetesCalls.Policy(Duration.ofSeconds(2), 4, Duration.ofMillis(100), Duration.ofSeconds(1), 50);

    @Test
    void theBrokerRestartsWhileServicesFailOver(EmbeddedKafkaBroker kafka, Topics topics, @TempDir Path dir) {
        try (Scenario scenario = Scenario.start("broker restarted", kafka.bootstrapServers(), topics, dir)) {
            scenario.failOver("us", 5);
            long start = System.nanoTime();
            kafka.restart();
            long restart = Duration.ofNanos(System.nanoTime() - start).toMillis();
            scenario.bringBack("us", 2);

            scenario.assertRecovered("broker stopped and started again (" + restart + " ms) right after 5 us "
                    + "Services lost every endpoint; then 2 of them came back");
        }
    }

    @Test
    void aControlPlaneReplicaStopsMidStream(EmbeddedKafkaBroker kafka, Topics topics, @TempDir Path dir) {
        try (Scenario scenario = Scenario.start("control-plane replica stopped", kafka.bootstrapServers(), topics,
                dir)) {
            ControlPlane second = ControlPlane.start(ControlPlaneSettings.of(KafkaSettings.bootstrap(
                    kafka.bootstrapServers()), topics, "replica-1"), Clock.systemUTC());
            Await.result(second.ready(), Duration.ofSeconds(60), "the second replica to be ready");
            await().atMost(Scenario.CONVERGENCE).until(() -> MetricsPage.scrape(second.httpPort())
                    .value("meshpilot_control_plane_owned_partitions") > 0);
            double owned = MetricsPage.scrape(second.httpPort()).value("meshpilot_control_plane_owned_partitions");

            scenario.failOver("us", 8);
            second.close();
            scenario.failOver("eu", 3);

            scenario.assertRecovered("a second control-plane replica owning " + (int) owned + " partitions stopped "
                    + "while 8 us Services failed over; 3 eu Services failed over after it");
        }
    }

    @Test
    void aControlPlaneReplicaIsKilledMidStream(EmbeddedKafkaBroker kafka, Topics topics, @TempDir Path dir)
            throws Exception {
        try (Scenario scenario = Scenario.start("control-plane replica killed", kafka.bootstrapServers(), topics,
                dir); ReplicaProcess second = ReplicaProcess.start(kafka.bootstrapServers(), topics, "replica-2",
                dir)) {
            await().atMost(Scenario.CONVERGENCE).until(() -> MetricsPage.scrape(second.httpPort())
                    .value("meshpilot_control_plane_owned_partitions") > 0);
            double owned = MetricsPage.scrape(second.httpPort()).value("meshpilot_control_plane_owned_partitions");
            scenario.converge();

            scenario.failOver("us", 8);
            second.kill();
            scenario.failOver("eu", 3);

            scenario.assertRecovered("a second control-plane replica in its own JVM, owning " + (int) owned
                    + " partitions, killed (SIGKILL) while 8 us Services failed over; 3 eu Services failed over after");
        }
    }

    @Test
    void theWholeControlPlaneIsDownForAWhile(EmbeddedKafkaBroker kafka, Topics topics, @TempDir Path dir) {
        try (Scenario scenario = Scenario.start("control plane down", kafka.bootstrapServers(), topics, dir)) {
            Map<String, String> before = scenario.fleet().actualAffinity();
            scenario.sandbox().stopControlPlane();
            scenario.failOver("us", 6);
            scenario.failOver("eu", 2);
            try (TopicReader us = new TopicReader(kafka.bootstrapServers(), topics.health("us"));
                    TopicReader eu = new TopicReader(kafka.bootstrapServers(), topics.health("eu"))) {
                await("the agents to publish what changed").atMost(Scenario.CONVERGENCE).until(() ->
                        readyOf(us, Fleet.name(5)) == 0 && readyOf(eu, Fleet.name(1)) == 0);
            }
            assertThat(scenario.fleet().actualAffinity()).as("annotations while nobody decides").isEqualTo(before);
            scenario.sandbox().startControlPlane();

            scenario.assertRecovered("the control plane stopped while 6 us and 2 eu Services failed over (their "
                    + "annotations stayed as they were), then started again");
        }
    }

    @Test
    void anAgentIsStoppedAndStartedAgain(EmbeddedKafkaBroker kafka, Topics topics, @TempDir Path dir) {
        try (Scenario scenario = Scenario.start("agent restarted", kafka.bootstrapServers(), topics, dir)) {
            scenario.failOver("us", 5);
            scenario.sandbox().region("us").stopAgent();
            scenario.failOver("eu", 2);
            scenario.bringBack("us", 5);
            scenario.failOver("us", 3);
            scenario.sandbox().region("us").restartAgent();

            scenario.assertRecovered("us agent stopped while 5 us Services failed over, then changes in both "
                    + "regions while it was down (2 eu failovers, us Services back then 3 down again), then restarted");
        }
    }

    @ParameterizedTest(name = "the API server answers {0} to the agent's writes until 6 were refused")
    @ValueSource(ints = {500, 409})
    void theApiServerFailsWritesForAWhile(int status, EmbeddedKafkaBroker kafka, Topics topics, @TempDir Path dir) {
        AtomicReference<FaultProxy> proxy = new AtomicReference<>();
        try (Scenario scenario = Scenario.start("API server answering " + status,
                kafka.bootstrapServers(), topics, dir, (region, agent) -> behindFaultProxyInUs(region, agent, proxy))) {
            FaultProxy faults = proxy.get();
            faults.fail(ApiRequest.writesTo("services"), status, FaultProxy.UNTIL_CLEARED);
            scenario.failOver("us", 6);
            await("the us agent's writes to be refused").atMost(Scenario.CONVERGENCE).until(() -> faults.injected() >= 6);
            faults.clear();

            scenario.assertRecovered(() -> status + " to " + faults.injected() + " us Service writes while 6 us "
                    + "Services failed over");
        } finally {
            closeQuietly(proxy.get());
        }
    }

    @Test
    void theApiServerAnswersSlowlyForAWhile(EmbeddedKafkaBroker kafka, Topics topics, @TempDir Path dir) {
        AtomicReference<FaultProxy> proxy = new AtomicReference<>();
        try (Scenario scenario = Scenario.start("slow API server", kafka.bootstrapServers(), topics,
                dir, (region, agent) -> behindFaultProxyInUs(region, agent, proxy))) {
            FaultProxy faults = proxy.get();
            faults.slow(ApiRequest.writesTo("services"), Duration.ofSeconds(5), FaultProxy.UNTIL_CLEARED);
            scenario.failOver("us", 6);
            await("the us agent's writes to be answered late").atMost(Scenario.CONVERGENCE)
                    .until(() -> faults.injected() >= 6);
            faults.clear();

            scenario.assertRecovered(() -> "5 s answers (over the 2 s timeout) to " + faults.injected()
                    + " us Service writes while 6 us Services failed over");
        } finally {
            closeQuietly(proxy.get());
        }
    }

    /**
     * Quick retries for every agent; the us agent reaches its real API server through a fault proxy (with its own
     * ServiceAccount's token), since a real kube-apiserver cannot be asked for 500s or slow answers.
     */
    private static AgentSettings behindFaultProxyInUs(String region, AgentSettings agent,
            AtomicReference<FaultProxy> proxy) {
        AgentSettings quick = agent.withWrites(QUICK_RETRIES_ON_TLS);
        if (!region.equals("us")) {
            return quick;
        }
        proxy.set(FaultProxy.inFrontOf(RealRegions.running(region), quick.kubernetes()));
        return new AgentSettings(quick.region(), quick.agentId(), quick.topics(), quick.kafka(),
                proxy.get().clientConfig(), quick.watch(), quick.writes(), quick.leadership(), quick.http());
    }

    private static void closeQuietly(FaultProxy proxy) {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void anAgentIsCutOffFromKafkaForAWhile(EmbeddedKafkaBroker kafka, BrokerLink link, Topics topics,
            @TempDir Path dir) {
        try (Scenario scenario = Scenario.start("agent cut off from Kafka", kafka.bootstrapServers(), topics, dir,
                (region, agent) -> region.equals("us")
                        ? agent.withKafka(KafkaSettings.bootstrap(link.bootstrapServers())) : agent)) {
            link.cut();
            try {
                scenario.failOver("us", 5);
                scenario.failOver("eu", 2);
                await("us to fall stale").atMost(Scenario.CONVERGENCE).until(() -> MetricsPage.scrape(
                        URI.create(scenario.sandbox().controlPlaneUrl()).getPort())
                        .value("meshpilot_regions_stale") >= 1);
            } finally {
                link.restore();
            }

            scenario.assertRecovered("the us agent's connections to Kafka dropped and refused until us fell stale "
                    + "(while 5 us and 2 eu Services failed over), then restored");
        }
    }

    @Test
    void tenThousandMalformedRecordsArriveOnEveryInputTopic(EmbeddedKafkaBroker kafka, Topics topics,
            @TempDir Path dir) {
        try (Scenario scenario = Scenario.start("malformed records", kafka.bootstrapServers(), topics, dir)) {
            List<String> inputs = new ArrayList<>(List.of(topics.policies()));
            for (String region : scenario.fleet().regions()) {
                inputs.addAll(List.of(topics.health(region), topics.heartbeat(region), topics.status(region),
                        topics.directives(region)));
            }
            long seed = 20261125;
            for (String topic : inputs) {
                Garbage.flood(kafka.bootstrapServers(), topic, GARBAGE, seed++);
            }
            scenario.failOver("us", 4);
            scenario.failOver("eu", 2);

            scenario.assertRecovered(GARBAGE + " malformed records on each of " + inputs.size() + " input topics "
                    + inputs + ", then 4 us and 2 eu Services failed over");
            MetricsPage controlPlane = MetricsPage.scrape(URI.create(scenario.sandbox().controlPlaneUrl()).getPort());
            double deadLettered = deadLettered(controlPlane);
            double rejectedPolicies = controlPlane.value("meshpilot_policies_total{result=\"rejected\"}");
            assertThat(deadLettered + rejectedPolicies).as("records the control plane refused")
                    .isGreaterThanOrEqualTo(GARBAGE * (inputs.size() - 1) * 0.5);
            System.out.printf("  dead-lettered by the control plane: %.0f; policies rejected: %.0f; by the agents: "
                    + "%.0f%n", deadLettered, rejectedPolicies, scenario.sandbox().regions().stream()
                    .mapToDouble(region -> deadLettered(MetricsPage.scrape(region.agentHttpPort()))).sum());
        }
    }

    private static int readyOf(TopicReader health, String service) {
        return health.latest(Fleet.NAMESPACE + "/" + service, ServiceHealth.class)
                .map(latest -> latest.endpoints().ready()).orElse(-1);
    }

    private static double deadLettered(MetricsPage page) {
        return page.seriesNames().contains("meshpilot_records_dead_lettered_total")
                ? page.sum("meshpilot_records_dead_lettered_total") : 0;
    }
}
