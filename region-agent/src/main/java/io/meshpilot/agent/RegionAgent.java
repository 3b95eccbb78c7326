package io.meshpilot.agent;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.meshpilot.agent.directives.DirectiveApplier;
import io.meshpilot.agent.directives.DirectiveIntake;
import io.meshpilot.agent.health.HealthPublisher;
import io.meshpilot.agent.health.McsApiNotice;
import io.meshpilot.agent.health.ServiceWatch;
import io.meshpilot.agent.kubernetes.KubernetesCallMetrics;
import io.meshpilot.agent.kubernetes.KubernetesCalls;
import io.meshpilot.agent.leadership.Leadership;
import io.meshpilot.kafka.DeadLetters;
import io.meshpilot.kafka.KafkaAccess;
import io.meshpilot.kafka.KafkaLink;
import io.meshpilot.kafka.RecordMetrics;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.kafka.TopicSnapshot;
import io.meshpilot.schemas.Topics;
import io.meshpilot.runtime.Await;
import io.meshpilot.runtime.EventLoop;
import io.meshpilot.runtime.Resources;
import io.meshpilot.runtime.http.OperationsServer;
import io.meshpilot.runtime.http.Readiness;
import io.meshpilot.runtime.metrics.ComponentMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The region agent: watches this region's managed Services and their EndpointSlices, publishes their health and a
 * heartbeat, and applies the control plane's directives as Cilium annotations, while it leads its region. All its
 * state lives on one Vert.x event loop; Kubernetes calls run on workers and Kafka on its clients' own threads.
 */
public final class RegionAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegionAgent.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ACCESS_CHECK = Duration.ofSeconds(5);
    /** Informers (Services, EndpointSlices, Namespaces, ServiceExports) and the Lease, besides the writes. */
    private static final int WATCHES_AND_LEASE = 6;

    private final AgentSettings settings;
    private final Clock clock;
    private final Resources resources = new Resources("agent");
    private final PrometheusRegistry registry = ComponentMetrics.registry("agent");
    private final AgentMetrics metrics = new AgentMetrics(registry);
    private final AtomicBoolean leading = new AtomicBoolean();
    private Context loop;
    private HealthPublisher publisher;
    private volatile DirectiveApplier applier;
    private volatile Heartbeats heartbeats;
    private OperationsServer http;
    private KafkaLink link;
    private volatile Runnable tellMcsExports = () -> { };
    private volatile DirectiveIntake intake;
    private volatile String startFailure;
    private volatile boolean closed;
    private final java.util.concurrent.CompletableFuture<Void> running = new java.util.concurrent.CompletableFuture<>();

    private RegionAgent(AgentSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Starts the agent: its HTTP endpoints at once, and its informers, which list the region's Services and
     * EndpointSlices in the background (a failed listing is retried with backoff and shown by {@code /readyz});
     * once they have listed, it reads its directives, heartbeats and stands for leadership. {@link #ready()} tells
     * when it is up. Throws only when it cannot start at all (e.g. Kafka refuses its credentials).
     */
    public static RegionAgent start(AgentSettings settings, Clock clock) {
        return start(settings, clock, new VertxOptions());
    }

    /**
     * As {@link #start(AgentSettings, Clock)}, on a Vert.x made with these options (a benchmark lowers the blocked-
     * thread checker's thresholds so that every blocked loop is reported with its stack).
     */
    public static RegionAgent start(AgentSettings settings, Clock clock, VertxOptions vertxOptions) {
        RegionAgent agent = new RegionAgent(settings, clock);
        try {
            agent.startParts(vertxOptions);
            return agent;
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    private void startParts(VertxOptions vertxOptions) {
        Topics topics = settings.topics();
        KafkaAccess.verify(settings.kafka(), settings.agentId(), List.of(topics.health(region()),
                topics.heartbeat(region()), topics.status(region()), topics.directives(region())), ACCESS_CHECK);
        Vertx vertx = Vertx.vertx(vertxOptions);
        resources.add(() -> Await.result(vertx.close().toCompletionStage(), Duration.ofSeconds(10), "Vert.x"));
        loop = vertx.getOrCreateContext();
        KubernetesClient client = resources.add(new KubernetesClientBuilder().withConfig(kubernetesConfig())
                .withHttpClientFactory(new Vertx5HttpClientFactory(vertx)).build());
        RecordMetrics recordMetrics = new RecordMetrics(registry, settings.topics())
                .writes("health", "heartbeat", "status", "deadletter").reads("directives");
        link = new KafkaLink(clock, settings.watch().heartbeatInterval().multipliedBy(3),
                () -> loop.runOnContext(ignored -> kafkaBack()));
        recordMetrics.reachability(registry, link::reachable);
        RecordSender sender = resources.add(new RecordSender(settings.kafka().producer(settings.agentId()),
                "agent-" + region()).listen(recordMetrics).listen(link));

        publisher = new HealthPublisher(loop, sender, settings.topics().health(region()), region(),
                settings.agentId(), clock, settings.watch().publishWindow(), metrics);
        ServiceWatch watch = resources.add(new ServiceWatch(client, loop, settings.watch(), publisher, metrics));
        http = resources.add(OperationsServer.start(vertx, settings.http().host(), settings.http().port(), registry,
                new Readiness()
                        .check("kubernetes", () -> watch.synced() ? Optional.empty()
                                : Optional.of(watch.problem()
                                        .orElse("informers have not listed Services and EndpointSlices yet")))
                        .check("kafka", link::problem)
                        .fatalCheck("directives", () -> intake == null ? Optional.empty() : intake.failure())
                        .fatalCheck("start", () -> Optional.ofNullable(startFailure)),
                router -> { }));
        watch.start().thenRun(() -> vertx.executeBlocking(() -> {
            startDirectives(vertx, client, sender, recordMetrics, watch);
            return null;
        }, false).onComplete(started -> {
            if (started.succeeded()) {
                running.complete(null);
            } else if (!closed) {
                startFailure = "cannot start reading directives: " + started.cause();
                LOG.atError().addKeyValue("region", region()).addKeyValue("error", started.cause().toString())
                        .log("agent cannot start reading its directives; restart it");
                running.completeExceptionally(started.cause());
            }
        }));
        LOG.atInfo().addKeyValue("region", region()).addKeyValue("agent", settings.agentId())
                .addKeyValue("http", http.port()).log("agent started; listing Services and EndpointSlices");
    }

    /** Once the informers have listed: directives, heartbeats, leadership. On a worker thread. */
    private synchronized void startDirectives(Vertx vertx, KubernetesClient client, RecordSender sender,
            RecordMetrics recordMetrics, ServiceWatch watch) {
        if (closed) {
            throw new IllegalStateException("the agent was closed");
        }
        DeadLetters deadLetters = new DeadLetters(sender, settings.topics(), "agent-" + region(), recordMetrics);
        KubernetesCalls calls = new KubernetesCalls(settings.writes(), new KubernetesCallMetrics(registry));
        intake = resources.add(DirectiveIntake.start(region(), settings.agentId(),
                settings.topics(), settings.kafka().consumer(settings.agentId(), Optional.empty()),
                new DirectiveIntake.Parts(loop, client, calls, sender, deadLetters, recordMetrics, metrics,
                        watch::service, publisher::takeFirstChange, clock,
                        settings.apply().parallelism(), watch::key)));
        applier = intake.applier();
        watch.observeServices(applier::observed);
        McsApiNotice mcsApi = new McsApiNotice(client, calls, loop, watch::service, leading::get,
                settings.agentId(), clock);
        watch.observeMcsExports(mcsApi::exported);
        tellMcsExports = () -> watch.mcsExportedServices().forEach(mcsApi::exported);

        heartbeats = resources.add(new Heartbeats(loop, sender, link, settings.topics().heartbeat(region()),
                region(), settings.agentId(), () -> metrics.managedServicesNow(), clock));
        onLoop(() -> {
            heartbeats.start(settings.watch().heartbeatInterval());
            loop.owner().setPeriodic(settings.watch().resyncInterval().toMillis(),
                    ignored -> publisher.republishAll("resync"));
        });
        resources.add(Leadership.start(client, settings.leadership(), settings.agentId(), loop, this::lead));
        LOG.atInfo().addKeyValue("region", region()).log("Services and EndpointSlices listed; reading directives");
    }

    private Config kubernetesConfig() {
        // fabric8 allows 5 requests at once per host by default, fewer than the applier's writes plus the watches
        int concurrent = settings.apply().parallelism() * 2 + WATCHES_AND_LEASE;
        Config given = settings.kubernetes();
        return new ConfigBuilder(given)
                .withRequestTimeout((int) settings.writes().requestTimeout().toMillis())
                .withRequestRetryBackoffLimit(0)
                .withMaxConcurrentRequests(Math.max(concurrent, given.getMaxConcurrentRequests()))
                .withMaxConcurrentRequestsPerHost(Math.max(concurrent, given.getMaxConcurrentRequestsPerHost()))
                .build();
    }

    /** Leadership changed; on the event loop. */
    private void lead(boolean leads) {
        leading.set(leads);
        metrics.leader(leads);
        heartbeats.leader(leads);
        if (!leads) {
            LOG.atInfo().addKeyValue("region", region()).log("standing by: another replica leads");
            publisher.deactivate();
            applier.deactivate();
            return;
        }
        LOG.atInfo().addKeyValue("region", region()).log("leading the region");
        applier.activate();
        tellMcsExports.run();
        loop.executeBlocking(() -> TopicSnapshot.liveKeys(settings.kafka().consumer(settings.agentId() + "-snapshot",
                Optional.empty()), settings.topics().health(region()), Duration.ofSeconds(30)), false)
                .onComplete(keys -> {
                    if (leading.get()) {
                        publisher.activate(keys.succeeded() ? keys.result() : Set.of());
                    }
                });
    }

    /** Kafka acknowledges again after an outage: publish everything again; on the event loop. */
    private void kafkaBack() {
        LOG.atInfo().addKeyValue("region", region()).log("Kafka answers again; publishing all health and statuses");
        publisher.republishAll("reconnect");
        if (leading.get() && applier != null) {
            applier.resendStatuses();
        }
    }

    private void onLoop(Runnable action) {
        Await.result(EventLoop.run(loop, action), START_TIMEOUT, "the agent's event loop");
    }

    public String region() {
        return settings.region();
    }

    /** The port of /healthz, /readyz and /metrics. */
    public int httpPort() {
        return http.port();
    }

    /**
     * Completes once the agent has listed its Services and EndpointSlices, reads its directives and Kafka has
     * acknowledged one of its records.
     */
    public java.util.concurrent.CompletionStage<Void> ready() {
        return running.thenCompose(ignored -> link.firstAcknowledged());
    }

    /** Completes once the agent has listed its Services and EndpointSlices and reads its directives. */
    public java.util.concurrent.CompletionStage<Void> listed() {
        return running;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public boolean leading() {
        return leading.get();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        resources.close();
    }
}
