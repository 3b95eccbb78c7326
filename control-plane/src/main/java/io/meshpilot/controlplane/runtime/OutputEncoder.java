package io.meshpilot.controlplane.runtime;

import io.meshpilot.controlplane.shard.Output;
import io.meshpilot.kafka.DeadLetters;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.schemas.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Routes each output of the shard to its topic and partition and serializes it. */
public final class OutputEncoder {

    private static final String COMPONENT = "control-plane";

    private final Topics topics;
    private final RecordCodec codec = RecordCodec.get();

    public OutputEncoder(Topics topics) {
        this.topics = topics;
    }

    public ProducerRecord<String, byte[]> encode(Output output) {
        if (output instanceof Output.Directive directive) {
            return new ProducerRecord<>(topics.directives(directive.directive().region()), directive.partition(),
                    directive.directive().key().toString(), codec.encode(directive.directive()));
        }
        if (output instanceof Output.DirectiveTombstone tombstone) {
            return new ProducerRecord<>(topics.directives(tombstone.target().region()), tombstone.partition(),
                    tombstone.target().service().toString(), null);
        }
        if (output instanceof Output.DecisionLog log) {
            return new ProducerRecord<>(topics.decisions(), log.partition(),
                    new ServiceKey(log.decision().namespace(), log.decision().service()).toString(),
                    codec.encode(log.decision()));
        }
        if (output instanceof Output.PolicyAnswer answer) {
            return new ProducerRecord<>(topics.policyStatus(), answer.scope(),
                    answer.status().map(codec::encode).orElse(null));
        }
        if (output instanceof Output.PracticeReport report) {
            return new ProducerRecord<>(topics.practiceStatus(), report.name(), codec.encode(report.status()));
        }
        Output.DeadLetter letter = (Output.DeadLetter) output;
        return DeadLetters.letter(topics, COMPONENT, letter.origin().toString(), letter.key(), letter.value(),
                letter.reason());
    }

    /** The metric label of a dead letter's cause. */
    public static DeadLetters.Cause cause(Output.DeadLetter letter) {
        return switch (letter.flaw()) {
            case BAD_KEY -> DeadLetters.Cause.BAD_KEY;
            case INVALID -> DeadLetters.Cause.INVALID;
            case REGION_MISMATCH -> DeadLetters.Cause.REGION_MISMATCH;
        };
    }
}
