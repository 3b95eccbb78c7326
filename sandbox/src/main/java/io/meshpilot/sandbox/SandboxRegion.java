package io.meshpilot.sandbox;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshpilot.agent.AgentSettings;
import io.meshpilot.agent.RegionAgent;
import io.meshpilot.embedded.kubernetes.EmbeddedApiServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** One sandbox region: its API server, a client of it, its workload simulator and its agent. */
public final class SandboxRegion implements AutoCloseable {

    private final String name;
    private final EmbeddedApiServer apiServer;
    private final KubernetesClient client;
    private final WorkloadSimulator simulator;
    private final Path kubeconfig;
    private RegionAgent agent;
    private AgentSettings agentSettings;
    private Clock clock;

    private SandboxRegion(String name, EmbeddedApiServer apiServer, KubernetesClient client,
            WorkloadSimulator simulator, Path kubeconfig) {
        this.name = name;
        this.apiServer = apiServer;
        this.client = client;
        this.simulator = simulator;
        this.kubeconfig = kubeconfig;
    }

    /** Starts the region's API server and simulator, writes its kubeconfig and seeds the walkthrough's workload. */
    static SandboxRegion start(String name, int index, Path stateDir, int replicas) {
        EmbeddedApiServer apiServer = EmbeddedApiServer.start(name);
        KubernetesClient client = apiServer.newClient();
        WorkloadSimulator simulator = new WorkloadSimulator(client, index).start();
        Path kubeconfig = apiServer.writeKubeconfig(stateDir.resolve(name + ".kubeconfig"));
        WalkthroughWorkload.seed(client, name, replicas);
        return new SandboxRegion(name, apiServer, client, simulator, kubeconfig);
    }

    /** Starts the agent; a restart keeps its HTTP port, so what scrapes it finds it again. */
    void startAgent(AgentSettings settings, Clock agentClock) {
        this.clock = agentClock;
        agent = RegionAgent.start(settings, agentClock);
        this.agentSettings = settings.withHttp(new AgentSettings.Http(settings.http().host(), agent.httpPort()));
    }

    /** The agent's HTTP port (/metrics), kept across restarts. */
    public int agentHttpPort() {
        return agentSettings.http().port();
    }

    /** Stops the region's agent, as if its pod died: the region falls silent. */
    public void stopAgent() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
    }

    /** Starts the region's agent again after {@link #stopAgent()}. */
    public void restartAgent() {
        if (agent == null) {
            agent = RegionAgent.start(agentSettings, clock);
        }
    }

    /** Scales the region's hello-world Deployment, marking {@code unready} of its pods not ready. */
    public void scaleHelloWorld(int replicas, int unready) {
        client.apps().deployments().inNamespace(WalkthroughWorkload.NAMESPACE).withName(WalkthroughWorkload.SERVICE)
                .edit(deployment -> new DeploymentBuilder(deployment).editMetadata()
                        .addToAnnotations(WorkloadSimulator.UNREADY_ANNOTATION, Integer.toString(unready))
                        .endMetadata().editSpec().withReplicas(replicas).endSpec().build());
    }

    /** The agent, while it runs. */
    public Optional<RegionAgent> agent() {
        return Optional.ofNullable(agent);
    }

    public String name() {
        return name;
    }

    /** A client of the region's API server, owned by the sandbox: do not close it. */
    public KubernetesClient client() {
        return client;
    }

    public EmbeddedApiServer apiServer() {
        return apiServer;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
        simulator.close();
        client.close();
        apiServer.close();
    }
}
