package io.meshpilot.agent.leadership;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
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
 * the others stand by with warm informers and take over when the leader stops renewing. Changes of leadership are
 * told on the agent's event loop. With leader election off, the replica leads at once.
 */
public final class Leadership implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    private final CompletableFuture<?> election;

    private Leadership(CompletableFuture<?> election) {
        this.election = election;
    }

    /** @param leading told {@code true} when this replica starts leading, {@code false} when it stops */
    public static Leadership start(KubernetesClient client, AgentSettings.Leadership settings, String agentId,
            Context loop, Consumer<Boolean> leading) {
        if (!settings.enabled()) {
            loop.runOnContext(ignored -> leading.accept(true));
            return new Leadership(CompletableFuture.completedFuture(null));
        }
        CompletableFuture<?> election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
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
                .build()).build().start();
        return new Leadership(election);
    }

    @Override
    public void close() {
        election.cancel(true);
    }
}
