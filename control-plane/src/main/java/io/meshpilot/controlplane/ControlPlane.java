package io.meshpilot.controlplane;

import io.meshpilot.controlplane.decisions.ServiceDecider;
import io.meshpilot.controlplane.health.HealthIntake;
import io.meshpilot.controlplane.health.RegionHealthBook;
import io.meshpilot.kafka.DeadLetters;
import io.meshpilot.kafka.RecordMetrics;
import io.meshpilot.kafka.RecordSender;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane: consumes every region's health, decides per Service and region, and publishes directives. Its
 * state lives on one Vert.x event loop fed by the Kafka poll thread; sends go through the record sender's thread.
 */
public final class ControlPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    private ControlPlane() {
    }

    public static ControlPlane start(ControlPlaneSettings settings, Clock clock) {
        ControlPlane controlPlane = new ControlPlane();
        try {
            controlPlane.startParts(settings, clock);
            return controlPlane;
        } catch (RuntimeException e) {
            controlPlane.close();
            throw e;
        }
    }

    private void startParts(ControlPlaneSettings settings, Clock clock) {
        Vertx vertx = Vertx.vertx();
        resources.push(() -> vertx.close().await(10, TimeUnit.SECONDS));
        Context loop = vertx.getOrCreateContext();
        RecordSender sender = new RecordSender(settings.kafka().producer("control-plane"), "control-plane");
        resources.push(sender);
        DeadLetters deadLetters = new DeadLetters(sender, settings.topics(), "control-plane",
                new RecordMetrics(new PrometheusRegistry(), settings.topics()));

        RegionHealthBook health = new RegionHealthBook();
        ServiceDecider decider = new ServiceDecider(health, sender, settings.topics(), clock);
        Map<String, Object> consumer = settings.kafka().consumer("control-plane", Optional.of(settings.groupId()));
        consumer.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) settings.regionDiscoveryInterval().toMillis());
        resources.push(HealthIntake.start(settings.topics(), consumer, loop, health, decider::decide, deadLetters));
        LOG.atInfo().addKeyValue("group", settings.groupId()).addKeyValue("prefix", settings.topics().prefix())
                .log("control plane started");
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                LOG.atWarn().addKeyValue("error", e.toString()).log("error while stopping the control plane");
            }
        }
    }
}
