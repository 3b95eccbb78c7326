package io.meshpilot.sandbox;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.meshpilot.agent.AgentSettings;
import io.meshpilot.agent.RegionAgent;
import io.meshpilot.embedded.kubernetes.EmbeddedApiServer;
import io.meshpilot.embedded.kubernetes.RegionApiServer;
import io.meshpilot.embedded.kubernetes.real.RealApiServer;
import io.meshpilot.embedded.kubernetes.real.RealRegions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * One sandbox region: its API server, a client of it, what stands in for its kubelets' readiness (the workload
 * simulator on the embedded server, {@link UnreadyPods} on a real one) and its agent.
 */
public final class SandboxRegion implements AutoCloseable {

    private final String name;
    private final RegionApiServer apiServer;
    private final KubernetesClient client;
    private final AutoCloseable workload;
    private final Path kubeconfig;
    private final Config agentClientConfig;
    private final String agentNamespace;
    private RegionAgent agent;
    private AgentSettings agentSettings;
    private Clock clock;

    private SandboxRegion(String name, RegionApiServer apiServer, KubernetesClient client, AutoCloseable workload,
            Path kubeconfig, Config agentClientConfig, String agentNamespace) {
        this.name = name;
        this.agentClientConfig = agentClientConfig;
        this.agentNamespace = agentNamespace;
        this.apiServer = apiServer;
        this.client = client;
        this.workload = workload;
        this.kubeconfig = kubeconfig;
    }

    /** Starts the region's API server and simulator, writes its kubeconfig and seeds the walkthrough's workload. */
    static SandboxRegion start(String name, int index, Path stateDir, int replicas, KubernetesBackend backend) {
        if (backend == KubernetesBackend.EMBEDDED) {
            EmbeddedApiServer apiServer = EmbeddedApiServer.start(name);
            KubernetesClient client = apiServer.newClient();
            WorkloadSimulator simulator = new WorkloadSimulator(client, index).start();
            Path kubeconfig = apiServer.writeKubeconfig(stateDir.resolve(name + ".kubeconfig"));
            WalkthroughWorkload.seed(client, name, replicas);
            return new SandboxRegion(name, apiServer, client, simulator, kubeconfig, apiServer.clientConfig(),
                    "default");
        }
        RealApiServer apiServer = RealRegions.acquire(name, index);
        KubernetesClient client = apiServer.newClient();
        UnreadyPods unready = new UnreadyPods(client).start();
        Path kubeconfig = apiServer.writeKubeconfig(stateDir.resolve(name + ".kubeconfig"));
        Config agent = apiServer.clientConfig(AgentIdentity.install(client));
        WalkthroughWorkload.seed(client, name, replicas);
        return new SandboxRegion(name, apiServer, client, unready, kubeconfig, agent, AgentIdentity.NAMESPACE);
    }

    /** Starts the agent; a restart keeps its HTTP port, so what scrapes it finds it again. */
    void startAgent(AgentSettings settings, Clock agentClock) {
        this.clock = agentClock;
        agent = RegionAgent.start(settings, agentClock);
        this.agentSettings = settings.withHttp(new AgentSettings.Http(settings.http().host(), agent.httpPort()));
    }

    /**
     * What the region's agent connects with: on a real region its ServiceAccount's token (the chart's RBAC, see
     * {@link AgentIdentity}), on the embedded server the admin's (it has no authorizer).
     */
    public Config agentClientConfig() {
        return agentClientConfig;
    }

    /** Where the agent's leader Lease lives: the chart's release namespace on a real region. */
    public String agentNamespace() {
        return agentNamespace;
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

    /**
     * Scales the region's hello-world Deployment, marking {@code unready} of its pods not ready: a merge patch without
     * the resourceVersion, so the Deployment controller's status updates cannot make it a 409 conflict.
     */
    public void scaleHelloWorld(int replicas, int unready) {
        client.apps().deployments().inNamespace(WalkthroughWorkload.NAMESPACE).withName(WalkthroughWorkload.SERVICE)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
                        + WorkloadSimulator.UNREADY_ANNOTATION + "\":\"" + unready + "\"}},\"spec\":{\"replicas\":"
                        + replicas + "}}");
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

    public RegionApiServer apiServer() {
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
        try {
            workload.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the workload of " + name, e);
        }
        client.close();
        if (apiServer instanceof EmbeddedApiServer) {
            apiServer.close();
        }
        // a real region's control plane is shared in this JVM (RealRegions) and emptied for its next user
    }
}
