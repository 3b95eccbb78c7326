package io.meshpilot.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.meshpilot.agent.directives.DirectiveIntake;
import io.meshpilot.agent.health.HealthPublisher;
import io.meshpilot.agent.health.ServiceWatch;
import io.meshpilot.kafka.DeadLetters;
import io.meshpilot.kafka.RecordSender;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The region agent: watches this region's managed Services and their EndpointSlices, publishes their health and a
 * heartbeat, and applies the control plane's directives as Cilium annotations. All its state lives on one Vert.x
 * event loop; Kubernetes calls run on workers and Kafka on its clients' own threads.
 */
public final class RegionAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegionAgent.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

    private final AgentSettings settings;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    private RegionAgent(AgentSettings settings) {
        this.settings = settings;
    }

    /** Starts the agent; returns once its informers have listed the region's Services and EndpointSlices. */
    public static RegionAgent start(AgentSettings settings, Clock clock) {
        RegionAgent agent = new RegionAgent(settings);
        try {
            agent.startParts(clock);
            return agent;
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    private void startParts(Clock clock) {
        Vertx vertx = Vertx.vertx();
        resources.push(() -> vertx.close().await(10, TimeUnit.SECONDS));
        Context loop = vertx.getOrCreateContext();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(settings.kubernetes())
                .withHttpClientFactory(new Vertx5HttpClientFactory(vertx)).build();
        resources.push(client);
        RecordSender sender = new RecordSender(settings.kafka().producer(settings.agentId()), "agent-" + region());
        resources.push(sender);

        HealthPublisher publisher = new HealthPublisher(sender, loop, settings.topics(), region(),
                settings.agentId(), clock);
        ServiceWatch watch = new ServiceWatch(client, loop, settings.managedLabels(), publisher);
        resources.push(watch);
        await(watch.start(), "the Kubernetes informers to sync");

        DeadLetters deadLetters = new DeadLetters(sender, settings.topics(), "agent-" + region());
        resources.push(DirectiveIntake.start(region(), settings.agentId(), settings.topics(),
                settings.kafka().consumer(settings.agentId(), Optional.empty()), loop, client, watch::service,
                sender, deadLetters, clock));

        Heartbeats heartbeats = new Heartbeats(vertx, sender, settings.topics().heartbeat(region()), region(),
                settings.agentId(), watch::managedCount, clock);
        runOn(loop, () -> heartbeats.start(settings.heartbeatInterval()));
        resources.push(heartbeats);
        LOG.atInfo().addKeyValue("region", region()).addKeyValue("agent", settings.agentId()).log("agent started");
    }

    public String region() {
        return settings.region();
    }

    private static void runOn(Context loop, Runnable action) {
        Promise<Void> done = Promise.promise();
        loop.runOnContext(ignored -> {
            action.run();
            done.complete();
        });
        await(done.future().toCompletionStage(), "the agent's event loop");
    }

    private static void await(java.util.concurrent.CompletionStage<?> stage, String what) {
        try {
            stage.toCompletableFuture().get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("failed waiting for " + what + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("gave up after " + SYNC_TIMEOUT + " waiting for " + what, e);
        }
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                LOG.atWarn().addKeyValue("error", e.toString()).log("error while stopping the agent");
            }
        }
    }
}
