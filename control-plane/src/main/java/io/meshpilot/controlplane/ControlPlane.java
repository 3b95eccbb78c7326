package io.meshpilot.controlplane;

import io.meshpilot.controlplane.api.ServicesApi;
import io.meshpilot.controlplane.decisions.DecisionLoop;
import io.meshpilot.controlplane.decisions.Outbox;
import io.meshpilot.controlplane.intake.RecordIntake;
import io.meshpilot.controlplane.ownership.Claims;
import io.meshpilot.controlplane.ownership.OwnershipLoop;
import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.policy.PinExpiry;
import io.meshpilot.controlplane.policy.PolicyStatuses;
import io.meshpilot.controlplane.ui.MeshView;
import io.meshpilot.controlplane.whatif.WhatIfApi;
import io.meshpilot.controlplane.world.WorldGauges;
import io.meshpilot.controlplane.world.RegionLiveness;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.kafka.KafkaAccess;
import io.meshpilot.kafka.RecordMetrics;
import io.meshpilot.kafka.RecordPoller;
import io.meshpilot.kafka.Subscriptions;
import io.meshpilot.runtime.Await;
import io.meshpilot.runtime.EventLoop;
import io.meshpilot.runtime.Resources;
import io.meshpilot.runtime.http.OperationsServer;
import io.meshpilot.runtime.http.Readiness;
import io.meshpilot.runtime.timers.Scheduler;
import io.meshpilot.runtime.metrics.ComponentMetrics;
import io.meshpilot.schemas.Topics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
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

    private final ControlPlaneSettings settings;
    private final Clock clock;
    private final Resources resources = new Resources("control-plane");
    private final PrometheusRegistry registry = ComponentMetrics.registry("control-plane");
    private final AtomicBoolean observing = new AtomicBoolean();
    private Context loop;
    private DecisionLoop decisions;
    private Claims claims;
    private OperationsServer http;

    private ControlPlane(ControlPlaneSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public static ControlPlane start(ControlPlaneSettings settings, Clock clock) {
        ControlPlane controlPlane = new ControlPlane(settings, clock);
        try {
            controlPlane.startParts();
            return controlPlane;
        } catch (RuntimeException e) {
            controlPlane.close();
            throw e;
        }
    }

    private void startParts() {
        KafkaAccess.verify(settings.kafka(), settings.replicaId(), List.of(settings.topics().policies(),
                settings.topics().policyStatus(), settings.topics().decisions()), ACCESS_CHECK);
        Vertx vertx = Vertx.vertx();
        resources.add(() -> Await.result(vertx.close().toCompletionStage(), Duration.ofSeconds(10), "Vert.x"));
        loop = vertx.getOrCreateContext();
        Topics topics = settings.topics();
        RecordMetrics recordMetrics = new RecordMetrics(registry, topics)
                .writes("directives", "decisions", "policy-status", "deadletter")
                .reads("health", "heartbeat", "directives", "status", "policies", "policy-status");
        ControlPlaneMetrics metrics = new ControlPlaneMetrics(registry, recordMetrics);
        WorldModel world = new WorldModel();
        RegionLiveness liveness = new RegionLiveness();
        PolicyBook policies = new PolicyBook();
        MeshView view = new MeshView(loop, world, liveness, policies, clock);
        Outbox outbox = new Outbox();
        PolicyStatuses statuses = new PolicyStatuses(outbox, topics, clock);
        decisions = new DecisionLoop(world, liveness, policies, Timers.on(loop), clock, outbox, topics, metrics);
        decisions.cacheTtls(settings.cacheTtls());
        new PinExpiry(policies, Scheduler.on(loop), clock, registry).onExpired((scope, at) -> {
            statuses.expired(scope, at);
            decisions.policyChanged(scope);
        });
        claims = new Claims(decisions, statuses);
        RecordIntake intake = new RecordIntake(topics, world, liveness, policies, statuses, decisions, outbox,
                metrics, recordMetrics, clock);

        resources.add(new RecordPoller("observer", observerConfig(), Subscriptions.everythingMatching(
                everyTopic(topics)), records -> EventLoop.run(loop, () -> records.forEach(intake::accept)))
                .countingInto(recordMetrics)
                .onProgress(positions -> loop.runOnContext(ignored -> {
                    observing.set(true);
                    claims.progress(positions);
                }))
                .start());
        OwnershipLoop ownership = resources.add(new OwnershipLoop(topics, ownershipConfig(),
                settings.kafka().producer(settings.replicaId()), settings.groupId() + "-" + settings.replicaId(),
                loop, claims, outbox, decisions, metrics, clock).start());
        WorldGauges gauges = new WorldGauges(world, liveness, policies, statuses, clock,
                settings.perServiceMetrics(), registry);
        loop.runOnContext(ignored -> {
            gauges.refresh();
            loop.owner().setPeriodic(GAUGE_REFRESH.toMillis(), timer -> gauges.refresh());
        });
        ServicesApi api = new ServicesApi(loop, world, liveness, policies, clock);
        WhatIfApi whatIf = new WhatIfApi(loop, world, liveness, policies, decisions, settings.cacheTtls(), clock);
        resources.add(view.tailDecisions(settings.kafka().consumer(settings.replicaId() + "-ui-decisions",
                Optional.empty()), topics.decisions()));
        http = resources.add(OperationsServer.start(vertx, settings.httpHost(), settings.httpPort(), registry,
                new Readiness()
                        .check("kafka", () -> observing.get() ? Optional.empty()
                                : Optional.of("has not read the topics yet"))
                        .fatalCheck("ownership", ownership::failure),
                router -> {
                    api.routes(router);
                    whatIf.routes(router);
                    view.routes(router);
                }));
        LOG.atInfo().addKeyValue("group", settings.groupId()).addKeyValue("replica", settings.replicaId())
                .addKeyValue("prefix", topics.prefix()).addKeyValue("http", http.port())
                .log("control plane started");
    }

    /** Every topic the observer reads: all region topics, the policies and their statuses. */
    static Pattern everyTopic(Topics topics) {
        String prefix = Pattern.quote(topics.prefix());
        return Pattern.compile(prefix + "\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?\\.(health|heartbeat|directives|status)|"
                + prefix + "\\.policies|" + prefix + "\\.policy-status");
    }

    private Map<String, Object> observerConfig() {
        Map<String, Object> config = new HashMap<>(settings.kafka().consumer(settings.replicaId() + "-observer",
                Optional.of(settings.groupId() + ".observer." + settings.replicaId())));
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) settings.regionDiscoveryInterval().toMillis());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return config;
    }

    private Map<String, Object> ownershipConfig() {
        Map<String, Object> config = new HashMap<>(settings.kafka().consumer(settings.replicaId(),
                Optional.of(settings.groupId())));
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) settings.regionDiscoveryInterval().toMillis());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        return config;
    }

    /** The port of /healthz, /readyz, /metrics and the API. */
    public int httpPort() {
        return http.port();
    }

    /** Completes once this replica decides for partitions the group gave it (caught up with what was committed). */
    public java.util.concurrent.CompletionStage<Void> ready() {
        return claims.firstSettled();
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        resources.close();
    }
}
