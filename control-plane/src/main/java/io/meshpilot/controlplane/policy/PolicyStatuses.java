package io.meshpilot.controlplane.policy;

import io.meshpilot.controlplane.decisions.Outbox;
import io.meshpilot.schemas.FieldError;
import io.meshpilot.schemas.PolicyStatus;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Answers each policy record with a {@code PolicyStatus} (accepted, or every error), once: only the replica that owns
 * the policies topic in the consumer group writes them, and a record already answered (its status read back from
 * {@code P.policy-status}) is not answered again after a restart or a hand-over. Confined to the event loop.
 */
public final class PolicyStatuses {

    /** The latest record of a scope and its verdict, waiting for an answer. */
    private record Judged(String scope, int partition, long offset, List<FieldError> errors, List<String> warnings,
            Instant expiredAt) {

        /** The record this status answers, and whether it says the pin expired: each is written once. */
        String answers() {
            return partition + "@" + offset + (expiredAt == null ? "" : "/expired");
        }
    }

    private final Outbox outbox;
    private final Topics topics;
    private final Clock clock;
    private final RecordCodec codec = RecordCodec.get();
    private final Map<String, Judged> latest = new HashMap<>();
    private final Set<String> answered = new HashSet<>();
    private boolean writer;

    public PolicyStatuses(Outbox outbox, Topics topics, Clock clock) {
        this.outbox = outbox;
        this.topics = topics;
        this.clock = clock;
    }

    /** A policy record judged: errors empty when accepted. */
    public void judged(String scope, int partition, long offset, List<FieldError> errors) {
        judged(scope, partition, offset, errors, List.of());
    }

    /** A policy record judged, with what its author should know of an accepted one. */
    public void judged(String scope, int partition, long offset, List<FieldError> errors, List<String> warnings) {
        Judged judged = new Judged(scope, partition, offset, errors, List.copyOf(warnings), null);
        latest.put(scope, judged);
        if (writer) {
            answer(judged);
        }
    }

    /**
     * The scope's accepted pin reached its {@code expiresAt}: its status says so ({@code expiredAt}), unless a newer
     * record of the scope was rejected (its status tells that story).
     */
    public void expired(String scope, Instant at) {
        Judged judged = latest.get(scope);
        if (judged == null || !judged.errors().isEmpty()) {
            return;
        }
        Judged expired = new Judged(scope, judged.partition(), judged.offset(), judged.errors(), judged.warnings(),
                at);
        latest.put(scope, expired);
        if (writer) {
            answer(expired);
        }
    }

    /** A policy was deleted (a tombstone): so is its status, by the writer. */
    public void deleted(String scope) {
        latest.remove(scope);
        if (writer) {
            outbox.add(Outbox.Entry.of(new ProducerRecord<>(topics.policyStatus(), scope, null)));
        }
    }

    /** A status read back from the topic: that record is answered. */
    public void answered(PolicyStatus status) {
        answered.add(status.policyPartition() + "@" + status.policyOffset()
                + (status.expiredAt() == null ? "" : "/expired"));
    }

    /** The scopes whose latest policy record was rejected. */
    public Set<String> rejectedScopes() {
        Set<String> rejected = new HashSet<>();
        latest.forEach((scope, judged) -> {
            if (!judged.errors().isEmpty()) {
                rejected.add(scope);
            }
        });
        return rejected;
    }

    /** This replica writes the statuses from now on: answer what is still unanswered. */
    public void becomeWriter() {
        writer = true;
        latest.values().forEach(this::answer);
    }

    public void stopWriting() {
        writer = false;
    }

    private void answer(Judged judged) {
        if (!answered.add(judged.answers())) {
            return;
        }
        PolicyStatus status = new PolicyStatus(judged.scope(), judged.errors().isEmpty(), judged.errors(),
                judged.warnings(), judged.partition(), judged.offset(), clock.instant(), judged.expiredAt());
        outbox.add(Outbox.Entry.of(new ProducerRecord<>(topics.policyStatus(), judged.scope(),
                codec.encode(status))));
    }
}
