package io.meshpilot.agent;

import static io.meshpilot.agent.AgentHarness.KEY;
import static io.meshpilot.agent.AgentHarness.SERVICE;
import static io.meshpilot.agent.AgentHarness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.agent.kubernetes.KubernetesCalls;
import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.embedded.kubernetes.faults.ApiRequest;
import io.meshpilot.embedded.kubernetes.faults.FaultProxy;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.DirectiveStatus.Result;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.MetricsPage;
import io.meshpilot.testing.TopicReader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 3, point 5: the agent survives its API server and Kafka failing, and shows it in its metrics. Every test runs
 * on a real region; those that need 500s, 409s, 503s or slow answers on demand put a {@link FaultProxy} between the
 * agent and the API server (a real kube-apiserver cannot be asked for them).
 */
@ExtendWith(KafkaBrokerExtension.class)
class AgentResilienceIT {

    /** Quick retries; 2 s since the request timeout also bounds each TLS connection set-up on a loaded machine. */
    private static final KubernetesCalls.Policy QUICK =
            new KubernetesCalls.Policy(Duration.ofSeconds(2), 4, Duration.ofMillis(100), Duration.ofSeconds(1), 20);

    @ParameterizedTest(name = "API server answers {0} to the next two patches of the Service")
    @ValueSource(ints = {500, 409, 503})
    void appliesTheDirectiveOnceTheApiServerAnswersAgain(int status, EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = AgentHarness.behindFaultProxy(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 2);
            RegionAgent agent = region.startAgent("agent-us-0", settings -> settings.withWrites(QUICK));
            TopicReader statuses = region.reader(topics.status("us"));

            region.faults().fail(ApiRequest.patchesOf("services", SERVICE), status, 2);
            region.sendDirective(1, "remote");

            await().atMost(WAIT).until(() -> "remote".equals(region.annotations(SERVICE)
                    .get("service.cilium.io/affinity")));
            await().atMost(WAIT).untilAsserted(() -> assertThat(statuses.latest(KEY, DirectiveStatus.class))
                    .hasValueSatisfying(s -> assertThat(s.result()).isEqualTo(Result.APPLIED)));
            MetricsPage metrics = MetricsPage.scrape(agent.httpPort());
            assertThat(region.faults().injected()).isEqualTo(2);
            assertThat(region.faults().answered(ApiRequest.patchesOf("services", SERVICE), 200)).isPositive();
            assertThat(metrics.value("meshpilot_kubernetes_retries_total")).isPositive();
            assertThat(metrics.value("meshpilot_kubernetes_requests_total{operation=\"patch-service\","
                    + "outcome=\"error\"}")).isPositive();
            System.out.printf("injected %d x %d; observed %s retries, %s failed directive attempts%n",
                    region.faults().injected(), status, metrics.value("meshpilot_kubernetes_retries_total"),
                    metrics.valueOrZero("meshpilot_agent_directives_total{result=\"failed\"}"));
        }
    }

    @Test
    void listsAgainUntilTheFirstListingSucceedsAndSaysWhyMeanwhile(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = AgentHarness.behindFaultProxy(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 2);
            region.faults().fail(ApiRequest.readsOf("services"), 503, FaultProxy.UNTIL_CLEARED);
            RegionAgent agent = region.startAgentListing("agent-us-0");
            TopicReader health = region.reader(topics.health("us"));

            await().atMost(WAIT).untilAsserted(() -> assertThat(MetricsPage.get(agent.httpPort(), "/readyz"))
                    .satisfies(ready -> {
                        assertThat(ready.statusCode()).isEqualTo(503);
                        assertThat(ready.body()).contains("kubernetes: cannot list Services and EndpointSlices")
                                .contains("API server answered 503");
                    }));
            assertThat(MetricsPage.get(agent.httpPort(), "/healthz").statusCode()).isEqualTo(200);
            await().atMost(WAIT).until(() -> region.faults().injected() >= 2);
            region.faults().clear();

            await().atMost(WAIT).untilAsserted(() -> assertThat(health.latest(KEY, ServiceHealth.class))
                    .hasValueSatisfying(h -> assertThat(h.endpoints().ready()).isEqualTo(2)));
            await().atMost(WAIT).untilAsserted(() -> assertThat(MetricsPage.get(agent.httpPort(), "/readyz")
                    .statusCode()).isEqualTo(200));
        }
    }

    @Test
    void timesOutSlowAnswersAndRetries(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = AgentHarness.behindFaultProxy(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 2);
            RegionAgent agent = region.startAgent("agent-us-0", settings -> settings.withWrites(QUICK));

            // past QUICK's 2 s request timeout; the API server makes the Event, the agent never hears of it
            region.faults().slow(ApiRequest.creationsOf("events"), Duration.ofSeconds(6), 1);
            region.sendDirective(1, "remote");

            // the API server made the first Event though the agent gave up on its answer; the retry makes another
            await().atMost(WAIT).untilAsserted(() -> assertThat(region.events(SERVICE, "AffinityChanged"))
                    .hasSizeGreaterThanOrEqualTo(2));
            MetricsPage metrics = MetricsPage.scrape(agent.httpPort());
            assertThat(metrics.value("meshpilot_kubernetes_requests_total{operation=\"create-event\","
                    + "outcome=\"error\"}")).isPositive();
            assertThat(metrics.value("meshpilot_kubernetes_retries_total")).isPositive();
            assertThat(region.faults().injected()).isEqualTo(1);
        }
    }

    @Test
    void opensTheCircuitBreakerOnAnOutageReportsFailureAndConvergesAfterIt(EmbeddedKafkaBroker kafka,
            Topics topics) {
        try (AgentHarness region = AgentHarness.behindFaultProxy(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 2);
            RegionAgent agent = region.startAgent("agent-us-0", settings -> settings.withWrites(
                    new KubernetesCalls.Policy(Duration.ofSeconds(2), 2, Duration.ofMillis(50), Duration.ofSeconds(1),
                            20)));
            TopicReader statuses = region.reader(topics.status("us"));

            region.faults().fail(ApiRequest.writesTo("services"), 500, FaultProxy.UNTIL_CLEARED);
            region.sendDirective(1, "remote");

            await().atMost(WAIT).untilAsserted(() -> assertThat(statuses.documents(DirectiveStatus.class))
                    .extracting(DirectiveStatus::result).contains(Result.FAILED));
            await().atMost(WAIT).until(() -> MetricsPage.scrape(agent.httpPort()).value(
                    "meshpilot_kubernetes_requests_total{operation=\"patch-service\",outcome=\"rejected\"}") > 0);
            region.faults().clear();
            await().atMost(WAIT).until(() -> "remote".equals(region.annotations(SERVICE)
                    .get("service.cilium.io/affinity")));
            await().atMost(WAIT).untilAsserted(() -> assertThat(statuses.latest(KEY, DirectiveStatus.class))
                    .hasValueSatisfying(s -> assertThat(s.result()).isEqualTo(Result.APPLIED)));
            MetricsPage metrics = MetricsPage.scrape(agent.httpPort());
            assertThat(metrics.value("meshpilot_kubernetes_circuit_breaker_transitions_total{state=\"open\"}"))
                    .isPositive();
            assertThat(metrics.value("meshpilot_kubernetes_requests_total{operation=\"patch-service\","
                    + "outcome=\"rejected\"}")).isPositive();
            assertThat(metrics.value("meshpilot_kubernetes_circuit_breaker_state{state=\"closed\"}")).isEqualTo(1);
        }
    }

    @Test
    void limitsTheRateOfWritesAndCountsTheWaits(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            List<String> services = List.of("alpha", "bravo", "charlie");
            services.forEach(service -> region.createManagedService(service, 1));
            RegionAgent agent = region.startAgent("agent-us-0", settings -> settings.withWrites(
                    new KubernetesCalls.Policy(Duration.ofSeconds(5), 3, Duration.ofMillis(100),
                            Duration.ofSeconds(1), 2)));

            services.forEach(service -> region.sendDirective(AgentHarness.directive("us", service, 1,
                    java.util.Map.of("service.cilium.io/global", "true", "service.cilium.io/shared", "true",
                            "service.cilium.io/affinity", "local"))));

            await().atMost(WAIT).until(() -> services.stream().allMatch(service ->
                    "1".equals(region.annotations(service).get("meshpilot.io/directive-version"))));
            MetricsPage metrics = MetricsPage.scrape(agent.httpPort());
            assertThat(metrics.value("meshpilot_kubernetes_rate_limiter_waits_total")).isPositive();
            assertThat(metrics.value("meshpilot_kubernetes_rate_limiter_wait_seconds_total")).isPositive();
        }
    }

    @Test
    void losesTheLeaseWhenItCannotRenewItAndWinsItBack(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = AgentHarness.behindFaultProxy(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 2);
            RegionAgent agent = region.startAgent("agent-us-0");
            await().atMost(WAIT).until(agent::leading);

            region.faults().fail(ApiRequest.writesTo("leases"), 500, FaultProxy.UNTIL_CLEARED);
            await().atMost(WAIT).until(() -> !agent.leading());
            region.faults().clear();
            await().atMost(WAIT).until(agent::leading);

            region.sendDirective(1, "remote");
            await().atMost(WAIT).until(() -> "remote".equals(region.annotations(SERVICE)
                    .get("service.cilium.io/affinity")));
        }
    }

    @Test
    void publishesTheLatestHealthAgainWhenKafkaComesBack(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 2);
            RegionAgent agent = region.startAgent("agent-us-0", settings -> settings.withWatch(
                    new AgentSettings.Watch(AgentSettings.Watch.DEFAULT.managedLabels(), List.of(),
                            Duration.ofMillis(50), Duration.ofHours(1), Duration.ofMillis(300))));
            TopicReader health = region.reader(topics.health("us"));
            await().atMost(WAIT).until(() -> health.latest(KEY, ServiceHealth.class).isPresent());

            kafka.stop();
            try {
                await().atMost(WAIT).untilAsserted(() -> assertThat(MetricsPage.get(agent.httpPort(), "/readyz"))
                        .satisfies(ready -> {
                            assertThat(ready.statusCode()).isEqualTo(503);
                            assertThat(ready.body()).contains("kafka: ");
                        }));
                region.setPods(SERVICE, 0, 2);
            } finally {
                kafka.resume();
            }

            await().atMost(WAIT).untilAsserted(() -> assertThat(health.latest(KEY, ServiceHealth.class))
                    .hasValueSatisfying(h -> assertThat(h.endpoints().ready()).isZero()));
            await().atMost(WAIT).until(() -> MetricsPage.get(agent.httpPort(), "/readyz").statusCode() == 200);
            MetricsPage metrics = MetricsPage.scrape(agent.httpPort());
            assertThat(metrics.value("meshpilot_agent_health_republished_total{cause=\"reconnect\"}")).isPositive();
            assertThat(metrics.value("meshpilot_kafka_reachable")).isEqualTo(1);
        }
    }
}
