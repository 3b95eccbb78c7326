package io.meshpilot.controlplane;

import io.meshpilot.controlplane.api.ServicesApi;
import io.meshpilot.controlplane.runtime.ReplicaIdGuard;
import io.meshpilot.controlplane.runtime.ShardRuntime;
import io.meshpilot.controlplane.shard.ControlPlaneShard;
import io.meshpilot.controlplane.ui.MeshView;
import io.meshpilot.controlplane.whatif.WhatIfApi;
import io.meshpilot.controlplane.world.WorldGauges;
import io.meshpilot.kafka.KafkaAccess;
import io.meshpilot.kafka.RecordMetrics;
import io.meshpilot.runtime.Await;
import io.meshpilot.runtime.Resources;
import io.meshpilot.runtime.http.OperationsServer;
import io.meshpilot.runtime.metrics.ComponentMetrics;
import io.meshpilot.schemas.Topics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A control-plane replica. It reads every region topic, the policies and their statuses (the observer) into one
 * world model, decides for the Services of the partitions the consumer group gives it, and publishes directives,
 * Decision records, policy statuses and dead letters in transactions fenced by the group. Its state lives on one
 * Vert.x event loop; Kafka runs on the observer's and the ownership loop's threads; HTTP on Vert.x.
 */
public final class ControlPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    private static final Duration GAUGE_REFRESH = Duration.ofSeconds(2);
    private static final Duration ACCESS_CHECK = Duration.ofSeconds(5);
    /** How soon the observer group notices a replica that died: how long a restarted one may wait for its id. */
    private static final Duration OBSERVER_SESSION = Duration.ofSeconds(10);
    private static final int OBSERVER_FETCH_BYTES = 8 * 1024 * 1024;
    private static final int OWNERSHIP_FETCH_BYTES = 1024 * 1024;

    private final ControlPlaneSettings settings;
    private final Clock clock;
    private final Resources resources = new Resources("control-plane");
    private final PrometheusRegistry registry = ComponentMetrics.registry("control-plane");
    private ShardRuntime runtime;
    private OperationsServer http;

    private ControlPlane(ControlPlaneSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public static ControlPlane start(ControlPlaneSettings settings, Clock clock) {
        return start(settings, clock, new VertxOptions());
    }

    /**
     * As {@link #start(ControlPlaneSettings, Clock)}, on a Vert.x made with these options (a benchmark lowers the
     * blocked-thread checker's thresholds so that every blocked loop is reported with its stack).
     */
    public static ControlPlane start(ControlPlaneSettings settings, Clock clock, VertxOptions vertxOptions) {
        ControlPlane controlPlane = new ControlPlane(settings, clock);
        try {
            controlPlane.startParts(vertxOptions);
            return controlPlane;
        } catch (RuntimeException e) {
            controlPlane.close();
            throw e;
        }
    }

    private void startParts(VertxOptions vertxOptions) {
        KafkaAccess.verify(settings.kafka(), settings.replicaId(), List.of(settings.topics().policies(),
                settings.topics().policyStatus(), settings.topics().decisions()), ACCESS_CHECK);
        try (Admin admin = Admin.create(settings.kafka().admin(settings.replicaId() + "-id-check"))) {
            ReplicaIdGuard.check(admin, observerGroup(), settings.replicaId(), OBSERVER_SESSION);
        }
        Vertx vertx = Vertx.vertx(vertxOptions);
        resources.add(() -> Await.result(vertx.close().toCompletionStage(), Duration.ofSeconds(10), "Vert.x"));
        Context loop = vertx.getOrCreateContext();
        Topics topics = settings.topics();
        RecordMetrics recordMetrics = new RecordMetrics(registry, topics)
                .writes("directives", "decisions", "policy-status", "practice-status", "deadletter")
                .reads("health", "heartbeat", "directives", "status", "policies", "policy-status", "practice-runs",
                        "practice-status");
        ControlPlaneMetrics metrics = new ControlPlaneMetrics(registry, recordMetrics);
        runtime = resources.add(new ShardRuntime(loop, topics, clock, metrics, settings.cacheTtls()));
        ControlPlaneShard shard = runtime.shard();
        MeshView view = new MeshView(loop, shard.world(), shard.liveness(), shard.policies(), clock);
        runtime.observe(observerConfig(), everyTopic(topics), recordMetrics, metrics)
                .own(topics, ownershipConfig(), settings.kafka().producer(settings.replicaId()),
                        settings.groupId() + "-" + settings.replicaId(), metrics, recordMetrics, clock);
        WorldGauges gauges = new WorldGauges(shard.world(), shard.liveness(), shard.policies(), shard.statuses(),
                clock, settings.perServiceMetrics(), registry);
        loop.runOnContext(ignored -> {
            gauges.refresh();
            loop.owner().setPeriodic(GAUGE_REFRESH.toMillis(), timer -> gauges.refresh());
        });
        ServicesApi api = new ServicesApi(loop, shard.world(), shard.liveness(), shard.policies(), clock);
        WhatIfApi whatIf = new WhatIfApi(loop, shard.world(), shard.liveness(), shard.policies(), shard.decisions(),
                settings.cacheTtls(), clock);
        resources.add(view.tailDecisions(settings.kafka().consumer(settings.replicaId() + "-ui-decisions",
                Optional.empty()), topics.decisions()));
        http = resources.add(OperationsServer.start(vertx, settings.httpHost(), settings.httpPort(), registry,
                runtime.readiness(),
                router -> {
                    api.routes(router);
                    whatIf.routes(router);
                    view.routes(router);
                }));
        LOG.atInfo().addKeyValue("group", settings.groupId()).addKeyValue("replica", settings.replicaId())
                .addKeyValue("prefix", topics.prefix()).addKeyValue("http", http.port())
                .log("control plane started");
    }

    private String observerGroup() {
        return settings.groupId() + ".observer." + settings.replicaId();
    }

    /** Every topic the observer reads: all region topics, the policies and their statuses. */
    static Pattern everyTopic(Topics topics) {
        String prefix = Pattern.quote(topics.prefix());
        return Pattern.compile(prefix + "\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?\\.(health|heartbeat|directives|status)|"
                + prefix + "\\.policies|" + prefix + "\\.policy-status|" + prefix + "\\.practice-runs|" + prefix
                + "\\.practice-status");
    }

    private Map<String, Object> observerConfig() {
        Map<String, Object> config = new HashMap<>(settings.kafka().consumer(settings.replicaId() + "-observer",
                Optional.of(observerGroup())));
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) OBSERVER_SESSION.toMillis());
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) settings.regionDiscoveryInterval().toMillis());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        // A resync reads every region's topics at once: at most this much fetched and not yet handed over (the
        // default is 50 MiB per response), so the heap a resync needs does not grow with the regions' partitions.
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, OBSERVER_FETCH_BYTES);
        return config;
    }

    private Map<String, Object> ownershipConfig() {
        Map<String, Object> config = new HashMap<>(settings.kafka().consumer(settings.replicaId(),
                Optional.of(settings.groupId())));
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) settings.regionDiscoveryInterval().toMillis());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        // This consumer reads the health topics only to move the positions it commits with each transaction (the
        // observer reads the records): small fetches, so it holds little of what it throws away.
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, OWNERSHIP_FETCH_BYTES);
        config.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, OWNERSHIP_FETCH_BYTES / 4);
        return config;
    }

    /** The port of /healthz, /readyz, /metrics and the API. */
    public int httpPort() {
        return http.port();
    }

    /** Completes once this replica decides for partitions the group gave it (caught up with what was committed). */
    public java.util.concurrent.CompletionStage<Void> ready() {
        return runtime.ready();
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        resources.close();
    }
}
