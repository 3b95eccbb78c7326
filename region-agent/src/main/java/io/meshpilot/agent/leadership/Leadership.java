package io.meshpilot.agent.leadership;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.meshpilot.agent.AgentSettings;
import io.vertx.core.Context;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election between the agent's replicas with a Kubernetes Lease (fabric8's LeaderElector): one replica acts,
 * the others stand by with warm informers and take over when the leader stops renewing. A replica that loses the
 * Lease (it could not renew it in time, say while the API server failed) stands by and runs for it again. Changes of
 * leadership are told on the agent's event loop. With leader election off, the replica leads at once.
 */
public final class Leadership implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    private final KubernetesClient client;
    private final LeaderElectionConfig config;
    private volatile CompletableFuture<?> election;
    private volatile boolean closed;

    private Leadership(KubernetesClient client, LeaderElectionConfig config) {
        this.client = client;
        this.config = config;
    }

    /** @param leading told {@code true} when this replica starts leading, {@code false} when it stops */
    public static Leadership start(KubernetesClient client, AgentSettings.Leadership settings, String agentId,
            Context loop, Consumer<Boolean> leading) {
        if (!settings.enabled()) {
            loop.runOnContext(ignored -> leading.accept(true));
            return new Leadership(client, null);
        }
        LeaderElectionConfig config = new LeaderElectionConfigBuilder()
                .withName(settings.leaseName())
                .withLock(new LeaseLock(settings.namespace(), settings.leaseName(), agentId))
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withReleaseOnCancel(settings.releaseOnStop())
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> loop.runOnContext(ignored -> leading.accept(true)),
                        () -> loop.runOnContext(ignored -> leading.accept(false)),
                        leader -> LOG.atInfo().addKeyValue("leader", leader).addKeyValue("lease",
                                settings.namespace() + "/" + settings.leaseName()).log("region agent leader")))
                .build();
        Leadership leadership = new Leadership(client, config);
        leadership.run();
        return leadership;
    }

    /** Runs for the Lease; fabric8's elector ends when it loses it, so run again until closed. */
    private void run() {
        if (closed) {
            return;
        }
        election = client.leaderElector().withConfig(config).build().start();
        election.whenComplete((ignored, failure) -> {
            if (!closed) {
                LOG.atInfo().addKeyValue("lease", config.getLock().describe()).log("lost the lease; running again");
                run();
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<?> running = election;
        if (running != null) {
            running.cancel(true);
        }
    }
}
