package io.meshpilot.agent.directives;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshpilot.kafka.DeadLetters;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.kafka.RecordPoller;
import io.meshpilot.kafka.Subscriptions;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.schemas.Topics;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Reads this region's directives topic from the beginning (its compacted state is the desired state) and hands each
 * directive to the applier on the agent's event loop. Undecodable records go to the dead-letter topic.
 */
public final class DirectiveIntake implements AutoCloseable {

    private final RecordPoller poller;
    private final Context loop;
    private final DirectiveApplier applier;
    private final DeadLetters deadLetters;
    private final RecordCodec codec = RecordCodec.get();

    private DirectiveIntake(String name, Map<String, Object> consumerConfig, String topic, Context loop,
            DirectiveApplier applier, DeadLetters deadLetters) {
        this.loop = loop;
        this.applier = applier;
        this.deadLetters = deadLetters;
        this.poller = new RecordPoller(name, consumerConfig, Subscriptions.wholeTopicFromBeginning(topic),
                this::handOver);
    }

    /**
     * Starts reading the region's directives and applying them to its Services.
     *
     * @param services the managed Service with a key, as the agent's informer last saw it
     */
    public static DirectiveIntake start(String region, String agentId, Topics topics,
            Map<String, Object> consumerConfig, Context loop, KubernetesClient client,
            Function<ServiceKey, Optional<Service>> services, RecordSender sender, DeadLetters deadLetters,
            Clock clock) {
        DirectiveApplier applier = new DirectiveApplier(loop, region, services,
                new ServiceAnnotator(client, agentId, clock),
                new StatusReporter(sender, topics, region, agentId, clock));
        DirectiveIntake intake = new DirectiveIntake("directives-" + region, consumerConfig,
                topics.directives(region), loop, applier, deadLetters);
        intake.poller.start();
        return intake;
    }

    private CompletionStage<Void> handOver(ConsumerRecords<String, byte[]> records) {
        Promise<Void> handled = Promise.promise();
        loop.runOnContext(ignored -> {
            records.forEach(this::accept);
            handled.complete();
        });
        return handled.future().toCompletionStage();
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        Decoded<ServiceDirective> decoded = codec.decode(record.value(), ServiceDirective.class);
        if (decoded instanceof Decoded.Valid<ServiceDirective> valid) {
            applier.offer(valid.record());
        } else if (decoded instanceof Decoded.Invalid<ServiceDirective> invalid) {
            deadLetters.send(record, invalid.summary());
        }
    }

    @Override
    public void close() {
        poller.close();
    }
}
