package io.meshpilot.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshpilot.agent.AgentSettings;
import io.meshpilot.agent.RegionAgent;
import io.meshpilot.embedded.kubernetes.EmbeddedApiServer;
import java.nio.file.Path;
import java.time.Clock;

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

    void startAgent(AgentSettings settings, Clock agentClock) {
        this.agentSettings = settings;
        this.clock = agentClock;
        agent = RegionAgent.start(settings, agentClock);
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

    /** The agent, while it runs. */
    public java.util.Optional<RegionAgent> agent() {
        return java.util.Optional.ofNullable(agent);
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
