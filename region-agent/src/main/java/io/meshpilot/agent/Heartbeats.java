package io.meshpilot.agent;

import io.meshpilot.kafka.KafkaLink;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.BuildInfo;
import io.vertx.core.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an {@code AgentHeartbeat} at a fixed interval, so the control plane can tell a live region from a stale one,
 * and checks on each beat that Kafka still acknowledges this agent's records. Confined to the agent's event loop.
 */
final class Heartbeats implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);

    private final Context loop;
    private final RecordSender sender;
    private final KafkaLink link;
    private final String topic;
    private final String region;
    private final String agentId;
    private final IntSupplier servicesWatched;
    private final Clock clock;
    private boolean leader;
    private long timer = -1;

    Heartbeats(Context loop, RecordSender sender, KafkaLink link, String topic, String region, String agentId,
            IntSupplier servicesWatched, Clock clock) {
        this.loop = loop;
        this.sender = sender;
        this.link = link;
        this.topic = topic;
        this.region = region;
        this.agentId = agentId;
        this.servicesWatched = servicesWatched;
        this.clock = clock;
    }

    /** Sends one now and then one every interval; call on the agent's event loop. */
    void start(Duration interval) {
        beat();
        timer = loop.owner().setPeriodic(interval.toMillis(), ignored -> beat());
    }

    /** Whether this replica leads; the next heartbeat says so, and one goes out now. */
    void leader(boolean leads) {
        leader = leads;
        beat();
    }

    private void beat() {
        link.check();
        AgentHeartbeat heartbeat = new AgentHeartbeat(region, agentId, BuildInfo.version(), clock.instant(),
                servicesWatched.getAsInt(), leader);
        sender.send(topic, agentId, heartbeat).whenComplete((metadata, failure) -> {
            if (failure != null) {
                LOG.atWarn().addKeyValue("error", failure.toString()).log("cannot send heartbeat");
            }
        });
    }

    @Override
    public void close() {
        if (timer >= 0) {
            loop.owner().cancelTimer(timer);
        }
    }
}
