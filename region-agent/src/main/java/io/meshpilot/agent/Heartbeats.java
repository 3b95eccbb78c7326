package io.meshpilot.agent;

import io.meshpilot.kafka.RecordSender;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.BuildInfo;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends an {@code AgentHeartbeat} at a fixed interval, so the control plane can tell a live region from a stale one. */
final class Heartbeats implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);

    private final Vertx vertx;
    private final RecordSender sender;
    private final String topic;
    private final String region;
    private final String agentId;
    private final IntSupplier servicesWatched;
    private final Clock clock;
    private long timer = -1;

    Heartbeats(Vertx vertx, RecordSender sender, String topic, String region, String agentId,
            IntSupplier servicesWatched, Clock clock) {
        this.vertx = vertx;
        this.sender = sender;
        this.topic = topic;
        this.region = region;
        this.agentId = agentId;
        this.servicesWatched = servicesWatched;
        this.clock = clock;
    }

    /** Sends one now and then one every interval; call on the agent's event loop. */
    void start(Duration interval) {
        beat();
        timer = vertx.setPeriodic(interval.toMillis(), ignored -> beat());
    }

    private void beat() {
        AgentHeartbeat heartbeat = new AgentHeartbeat(region, agentId, BuildInfo.version(), clock.instant(),
                servicesWatched.getAsInt(), true);
        sender.send(topic, agentId, heartbeat).whenComplete((metadata, failure) -> {
            if (failure != null) {
                LOG.atWarn().addKeyValue("error", failure.toString()).log("cannot send heartbeat");
            }
        });
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
