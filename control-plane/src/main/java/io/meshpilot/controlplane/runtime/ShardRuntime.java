package io.meshpilot.controlplane.runtime;

import io.meshpilot.controlplane.ControlPlaneMetrics;
import io.meshpilot.controlplane.shard.ControlPlaneShard;
import io.meshpilot.controlplane.shard.ResultTimers;
import io.meshpilot.core.routing.CacheTtls;
import io.meshpilot.kafka.RecordMetrics;
import io.meshpilot.kafka.RecordPoller;
import io.meshpilot.kafka.Subscriptions;
import io.meshpilot.runtime.EventLoop;
import io.meshpilot.runtime.http.Readiness;
import io.meshpilot.runtime.timers.Scheduler;
import io.meshpilot.schemas.Topics;
import io.vertx.core.Context;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Runs the control plane's shard, as Kafka's coordinator runtime runs its shards: the observer's poll thread reads
 * every topic and hands each batch to the event loop, where it is decoded and replayed into the shard as one; the
 * shard's results (and its keyed timers' results) wait in the outbox until the ownership loop publishes them in a
 * fenced transaction and runs their commit or abort actions. Any poll or handler failure is fatal: counted, and
 * reported by {@code /healthz}.
 */
public final class ShardRuntime implements AutoCloseable {

    private final Context loop;
    private final ControlPlaneShard shard;
    private final Outbox outbox = new Outbox();
    private final Claims claims;
    private final InboundDecoder decoder;
    private final AtomicBoolean observing = new AtomicBoolean();
    private RecordPoller observer;
    private OwnershipLoop ownership;

    public ShardRuntime(Context loop, Topics topics, Clock clock, ControlPlaneMetrics metrics, CacheTtls cacheTtls) {
        this.loop = loop;
        this.decoder = new InboundDecoder(topics);
        this.shard = new ControlPlaneShard(new ResultTimers(Scheduler.on(loop), outbox::add), clock, metrics,
                cacheTtls, metrics.pinMetrics(), metrics.practiceMetrics());
        this.claims = new Claims(shard, outbox, clock);
    }

    /** Starts reading every topic the pattern matches into the shard. */
    public ShardRuntime observe(Map<String, Object> consumerConfig, Pattern everyTopic, RecordMetrics recordMetrics,
            ControlPlaneMetrics metrics) {
        observer = new RecordPoller("observer", consumerConfig, Subscriptions.everythingMatching(everyTopic),
                records -> EventLoop.run(loop, () -> outbox.add(shard.replay(decoder.decodeAll(records)))))
                .countingInto(recordMetrics)
                .onProgress(positions -> loop.runOnContext(ignored -> {
                    observing.set(true);
                    claims.progress(positions);
                }))
                .onFailure(why -> metrics.runtimeFailure("observer"))
                .start();
        return this;
    }

    /** Joins the control plane's group and publishes what the shard decides for the partitions it is given. */
    public ShardRuntime own(Topics topics, Map<String, Object> consumerConfig, Map<String, Object> producerConfig,
            String transactionalId, ControlPlaneMetrics metrics, RecordMetrics recordMetrics, Clock clock) {
        ownership = new OwnershipLoop(topics, consumerConfig, producerConfig, transactionalId, loop, claims, outbox,
                metrics, recordMetrics, clock, () -> metrics.runtimeFailure("ownership")).start();
        return this;
    }

    /** What the health endpoints check: caught up (ready), not re-joining (ready), no loop dead (alive). */
    public Readiness readiness() {
        return new Readiness()
                .check("kafka", () -> observing.get() ? Optional.empty()
                        : Optional.of("has not read the topics yet"))
                .check("ownership", () -> ownership.recovering().map(why -> "re-joining the group: " + why))
                .fatalCheck("observer", () -> observer.failure())
                .fatalCheck("ownership", () -> ownership.failure());
    }

    public ControlPlaneShard shard() {
        return shard;
    }

    public Context loop() {
        return loop;
    }

    /** Completes once this replica decides for partitions the group gave it (caught up with what was committed). */
    public CompletionStage<Void> ready() {
        return claims.firstSettled();
    }

    @Override
    public void close() {
        if (ownership != null) {
            ownership.close();
        }
        if (observer != null) {
            observer.close();
        }
    }
}
