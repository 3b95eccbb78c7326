package io.meshpilot.agent;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.meshpilot.embedded.kubernetes.RegionApiServer;
import io.meshpilot.embedded.kubernetes.faults.FaultProxy;
import io.meshpilot.embedded.kubernetes.real.RealApiServer;
import io.meshpilot.embedded.kubernetes.real.RealRegions;
import io.meshpilot.embedded.kubernetes.KubernetesObjects;
import io.meshpilot.embedded.kubernetes.KubernetesObjects.Pod;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.kafka.TopicProvisioner;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.TopicReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;

/**
 * One region for agent tests: a real API server (the JVM's shared real region, emptied for each test), for tests that
 * inject faults a real server cannot be asked for with a {@link FaultProxy} between the agents and it; the region's
 * topics on the shared broker, agents started on demand, and readers of the topics. Closes all of it.
 */
final class AgentHarness implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String NAMESPACE = "default";
    static final String SERVICE = "hello-world";
    static final String KEY = NAMESPACE + "/" + SERVICE;

    final EmbeddedKafkaBroker kafka;
    final Topics topics;
    final String region;
    final KafkaSettings settings;
    final RealApiServer apiServer;
    /** What the agents connect to: the API server, or the fault proxy in front of it. */
    final RegionApiServer agentApiServer;
    /** The test's own client, straight to the API server (no faults). */
    final KubernetesClient kubernetes;
    final RecordSender sender;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** On a real region. */
    AgentHarness(EmbeddedKafkaBroker kafka, Topics topics, String region) {
        this(kafka, topics, region, false);
    }

    /**
     * On a real region whose agents reach it through a {@link FaultProxy}, for the tests that inject 500s, 503s or
     * slow answers: a real API server cannot be asked for those.
     */
    static AgentHarness behindFaultProxy(EmbeddedKafkaBroker kafka, Topics topics, String region) {
        return new AgentHarness(kafka, topics, region, true);
    }

    private AgentHarness(EmbeddedKafkaBroker kafka, Topics topics, String region, boolean faults) {
        this.kafka = kafka;
        this.topics = topics;
        this.region = region;
        this.settings = KafkaSettings.bootstrap(kafka.bootstrapServers());
        try (Admin admin = Admin.create(settings.admin("test"))) {
            new TopicProvisioner(admin, topics, new TopicProvisioner.Layout(2, (short) 1)).provision(List.of(region));
        }
        this.apiServer = RealRegions.acquire(region, 1);
        this.agentApiServer = faults ? FaultProxy.inFrontOf(apiServer) : apiServer;
        this.kubernetes = apiServer.newClient();
        this.sender = new RecordSender(settings.producer("test"), "test");
    }

    /** Settings for a quick agent on loopback: fast leader election, short windows. */
    AgentSettings agentSettings(String agentId) {
        return AgentSettings.of(region, agentId, topics, settings, agentApiServer.clientConfig())
                .withLeadership(AgentSettings.Leadership.fast(NAMESPACE))
                .withHttp(AgentSettings.Http.LOOPBACK);
    }

    /** The fault proxy between the agents and the API server ({@link #behindFaultProxy}). */
    FaultProxy faults() {
        return (FaultProxy) agentApiServer;
    }

    RealApiServer realApiServer() {
        return apiServer;
    }

    /** Creates the namespace if it is missing (a real API server refuses objects in one that does not exist). */
    void namespace(String name) {
        if (kubernetes.namespaces().withName(name).get() == null) {
            kubernetes.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                    .create();
        }
    }

    RegionAgent startAgent(String agentId) {
        return startAgent(agentId, UnaryOperator.identity());
    }

    RegionAgent startAgent(String agentId, UnaryOperator<AgentSettings> adjust) {
        RegionAgent agent = RegionAgent.start(adjust.apply(agentSettings(agentId)), Clock.systemUTC());
        closeables.add(agent);
        io.meshpilot.runtime.Await.result(agent.listed(), WAIT.multipliedBy(2), "the agent to list its Services");
        return agent;
    }

    /** Starts an agent and returns at once, its informers perhaps still listing. */
    RegionAgent startAgentListing(String agentId) {
        RegionAgent agent = RegionAgent.start(agentSettings(agentId), Clock.systemUTC());
        closeables.add(agent);
        return agent;
    }

    TopicReader reader(String topic) {
        TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic);
        closeables.add(reader);
        return reader;
    }

    void createManagedService(String name, int readyPods) {
        kubernetes.resource(KubernetesObjects.service(NAMESPACE, name, Map.of("meshpilot.io/managed", "true")))
                .create();
        setPods(name, readyPods, 0);
    }

    /** Replaces the Service's only EndpointSlice with {@code ready} ready pods and {@code notReady} others. */
    void setPods(String name, int ready, int notReady) {
        List<Pod> pods = new ArrayList<>();
        IntStream.range(0, ready).forEach(i -> pods.add(Pod.ready(name + "-" + i, "10.0.0." + (i + 1))));
        IntStream.range(0, notReady).forEach(i -> pods.add(Pod.notReady(name + "-n" + i, "10.0.1." + (i + 1))));
        kubernetes.resource(KubernetesObjects.endpointSlice(NAMESPACE, name, name + "-slice", "IPv4", pods))
                .createOr(operation -> operation.update());
    }

    void sendDirective(long version, String affinity) {
        sendDirective(directive(region, SERVICE, version, Map.of("service.cilium.io/global", "true",
                "service.cilium.io/shared", "true", "service.cilium.io/affinity", affinity)));
    }

    void sendDirective(ServiceDirective directive) {
        sender.send(topics.directives(region), directive.namespace() + "/" + directive.service(), directive);
    }

    static ServiceDirective directive(String region, String service, long version, Map<String, String> annotations) {
        return new ServiceDirective(region, NAMESPACE, service, version, annotations, "local-healthy", Instant.now());
    }

    Map<String, String> annotations(String name) {
        Service service = kubernetes.services().inNamespace(NAMESPACE).withName(name).get();
        return service == null || service.getMetadata().getAnnotations() == null ? Map.of()
                : service.getMetadata().getAnnotations();
    }

    List<Event> events(String name, String reason) {
        return kubernetes.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(event -> name.equals(event.getInvolvedObject().getName()))
                .filter(event -> reason.equals(event.getReason())).toList();
    }

    private static List<AutoCloseable> reversed(List<AutoCloseable> list) {
        List<AutoCloseable> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : reversed(closeables)) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing what a test left behind
            }
        }
        sender.close();
        kubernetes.close();
        if (agentApiServer instanceof FaultProxy proxy) {
            proxy.close();
        }
        // the real region is shared in this JVM (RealRegions) and emptied for its next user
    }
}
