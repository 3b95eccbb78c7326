package io.meshpilot.controlplane.policy;

import io.meshpilot.controlplane.shard.Output;
import io.meshpilot.controlplane.shard.Result;
import io.meshpilot.schemas.FieldError;
import io.meshpilot.schemas.PolicyStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Answers each policy record with a {@code PolicyStatus} (accepted, or every error), once: only the replica that owns
 * the policies topic in the consumer group writes them, and a record already answered (its status committed, or read
 * back from {@code P.policy-status}) is not answered again after a restart or a hand-over. An answer whose
 * transaction aborts is given again. Part of the shard.
 */
public final class PolicyStatuses {

    /** Where a policy record sits in the policies topic: what a status answers. */
    public record PolicyPosition(int partition, long offset) {
    }

    /** The latest record of a scope and its verdict (and when its pin expired, if it did), waiting for an answer. */
    private record Judged(String scope, PolicyPosition position, List<FieldError> errors, List<String> warnings,
            Instant expiredAt) {

        Answer answer() {
            return new Answer(position, expiredAt != null);
        }
    }

    /** What a status answers: a policy record, and whether it says the record's pin expired. Each is written once. */
    private record Answer(PolicyPosition position, boolean expired) {
    }

    private final Clock clock;
    private final Map<String, Judged> latest = new HashMap<>();
    private final Set<Answer> answered = new HashSet<>();
    private final Set<Answer> answering = new HashSet<>();
    private boolean writer;

    public PolicyStatuses(Clock clock) {
        this.clock = clock;
    }

    /** A policy record judged: errors empty when accepted. */
    public Result judged(String scope, PolicyPosition position, List<FieldError> errors) {
        return judged(scope, position, errors, List.of());
    }

    /** A policy record judged, with what its author should know of an accepted one. */
    public Result judged(String scope, PolicyPosition position, List<FieldError> errors, List<String> warnings) {
        Judged judged = new Judged(scope, position, errors, List.copyOf(warnings), null);
        latest.put(scope, judged);
        return writer ? answer(judged) : Result.NONE;
    }

    /**
     * The scope's accepted pin reached its {@code expiresAt}: its status says so ({@code expiredAt}), unless a newer
     * record of the scope was rejected (its status tells that story).
     */
    public Result expired(String scope, Instant at) {
        Judged judged = latest.get(scope);
        if (judged == null || !judged.errors().isEmpty()) {
            return Result.NONE;
        }
        Judged expired = new Judged(scope, judged.position(), judged.errors(), judged.warnings(), at);
        latest.put(scope, expired);
        return writer ? answer(expired) : Result.NONE;
    }

    /** A policy was deleted (a tombstone): so is its status, by the writer. */
    public Result deleted(String scope) {
        latest.remove(scope);
        return writer ? tombstone(scope) : Result.NONE;
    }

    private Result tombstone(String scope) {
        return Result.of(new Output.PolicyAnswer(scope, Optional.empty()), () -> { },
                () -> writer && !latest.containsKey(scope) ? tombstone(scope) : Result.NONE);
    }

    /** A status read back from the topic: that record is answered. */
    public void answered(PolicyStatus status) {
        answered.add(new Answer(new PolicyPosition(status.policyPartition(), status.policyOffset()),
                status.expiredAt() != null));
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
    public Result becomeWriter() {
        writer = true;
        Result.Builder result = Result.builder();
        latest.values().forEach(judged -> result.add(answer(judged)));
        return result.build();
    }

    public void stopWriting() {
        writer = false;
    }

    public boolean writer() {
        return writer;
    }

    private Result answer(Judged judged) {
        Answer position = judged.answer();
        if (answered.contains(position) || !answering.add(position)) {
            return Result.NONE;
        }
        PolicyStatus status = new PolicyStatus(judged.scope(), judged.errors().isEmpty(), judged.errors(),
                judged.warnings(), judged.position().partition(), judged.position().offset(), clock.instant(),
                judged.expiredAt());
        return Result.of(new Output.PolicyAnswer(judged.scope(), Optional.of(status)), () -> {
            answering.remove(position);
            answered.add(position);
        }, () -> {
            answering.remove(position);
            Judged now = latest.get(judged.scope());
            return writer && now != null && now.answer().equals(position) ? answer(now) : Result.NONE;
        });
    }
}
