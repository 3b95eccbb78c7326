package io.meshpilot.agent.directives;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshpilot.agent.AgentMetrics;
import io.meshpilot.agent.kubernetes.KubernetesCalls;
import io.meshpilot.kafka.DeadLetters;
import io.meshpilot.kafka.RecordMetrics;
import io.meshpilot.kafka.RecordPoller;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.kafka.Subscriptions;
import io.meshpilot.runtime.EventLoop;
import io.meshpilot.runtime.timers.Scheduler;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.schemas.Topics;
import io.vertx.core.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Reads this region's directives topic, and only it, from the beginning (its compacted state is the desired state),
 * and hands each directive to the applier on the agent's event loop. Undecodable records and records with a bad key
 * go to the dead-letter topic.
 */
public final class DirectiveIntake implements AutoCloseable {

    /** What the intake needs from the rest of the agent. */
    public record Parts(Context loop, KubernetesClient client, KubernetesCalls calls, RecordSender sender,
            DeadLetters deadLetters, RecordMetrics recordMetrics, AgentMetrics metrics,
            Function<ServiceKey, Optional<Service>> services, Function<ServiceKey, Optional<Instant>> healthChangedAt,
            Clock clock, int parallelism, UnaryOperator<ServiceKey> keys) {
    }

    private final RecordPoller poller;
    private final Context loop;
    private final DirectiveApplier applier;
    private final DeadLetters deadLetters;
    private final RecordCodec codec = RecordCodec.get();

    private DirectiveIntake(String topic, Map<String, Object> consumerConfig, Parts parts, DirectiveApplier applier) {
        this.loop = parts.loop();
        this.applier = applier;
        this.deadLetters = parts.deadLetters();
        this.poller = new RecordPoller("directives", consumerConfig, Subscriptions.wholeTopicFromBeginning(topic),
                this::handOver).countingInto(parts.recordMetrics());
    }

    /** Starts reading the region's directives; the applier it returns acts once activated. */
    public static DirectiveIntake start(String region, String agentId, Topics topics,
            Map<String, Object> consumerConfig, Parts parts) {
        Context loop = parts.loop();
        ServiceAnnotator annotator = new ServiceAnnotator(parts.client(), parts.calls(), agentId);
        String statusTopic = topics.status(region);
        DirectiveApplier applier = new DirectiveApplier(new DirectiveApplier.Parts(region, parts.parallelism(),
                parts.services(),
                (current, directive, stillWanted) -> loop.executeBlocking(
                        () -> annotator.patch(current, directive, stillWanted), false).toCompletionStage(),
                event -> loop.executeBlocking(() -> annotator.record(event), false).toCompletionStage(),
                parts.calls()::spareWritePermit,
                new StatusReporter(status -> parts.sender().send(statusTopic, status.key().toString(), status),
                        region, agentId, parts.clock(), Scheduler.on(loop)),
                (received, why) -> parts.deadLetters().send(received.topic(), received.position(),
                        received.directive().key().toString(), received.bytes(), DeadLetters.Cause.REJECTED, why),
                parts.metrics(), parts.healthChangedAt(), parts.clock(), Scheduler.on(loop), parts.keys()));
        DirectiveIntake intake = new DirectiveIntake(topics.directives(region), consumerConfig, parts, applier);
        intake.poller.start();
        return intake;
    }

    /** Why reading the directives stopped for good, if it did (a handler failed): the agent must be restarted. */
    public java.util.Optional<String> failure() {
        return poller.failure();
    }

    public DirectiveApplier applier() {
        return applier;
    }

    private CompletionStage<Void> handOver(ConsumerRecords<String, byte[]> records) {
        return EventLoop.run(loop, () -> records.forEach(this::accept));
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        Optional<ServiceKey> key = ServiceKey.parse(record.key());
        if (key.isEmpty()) {
            deadLetters.send(record, DeadLetters.Cause.BAD_KEY, "key '" + record.key()
                    + "' is not <namespace>/<service>");
            return;
        }
        if (record.value() == null) {
            applier.withdrawn(key.get());
            return;
        }
        Decoded<ServiceDirective> decoded = codec.decode(record.value(), ServiceDirective.class);
        if (decoded instanceof Decoded.Invalid<ServiceDirective> invalid) {
            deadLetters.send(record, DeadLetters.Cause.INVALID, invalid.summary());
            return;
        }
        ServiceDirective directive = ((Decoded.Valid<ServiceDirective>) decoded).record();
        if (!directive.key().equals(key.get())) {
            deadLetters.send(record, DeadLetters.Cause.REGION_MISMATCH, "Service " + directive.key()
                    + " does not match the record key " + key.get());
            return;
        }
        applier.offer(new Received(directive, record.topic(), record.partition(), record.offset()));
    }

    @Override
    public void close() {
        poller.close();
    }
}
