package io.meshpilot.controlplane.shard;

import io.meshpilot.controlplane.decisions.ServiceRegion;
import io.meshpilot.schemas.Decision;
import io.meshpilot.schemas.PolicyStatus;
import io.meshpilot.schemas.PracticeRunStatus;
import io.meshpilot.schemas.ServiceDirective;
import java.time.Instant;
import java.util.Optional;

/** What the shard asks to publish; the runtime serializes it, routes it to its topic and commits it. */
public sealed interface Output {

    /** A region's directive, in the Service's partition; when the health that caused it was observed. */
    record Directive(int partition, ServiceDirective directive, Optional<Instant> causedAt) implements Output {
    }

    /** Removes a region's directive (the Service is gone from it), so compaction drops it. */
    record DirectiveTombstone(int partition, ServiceRegion target) implements Output {
    }

    /** The audit record of one decision. */
    record DecisionLog(int partition, Decision decision) implements Output {
    }

    /** The answer to a scope's policy record; empty removes the scope's status (its policy was deleted). */
    record PolicyAnswer(String scope, Optional<PolicyStatus> status) implements Output {
    }

    /** A practice run's status and report, keyed by the run's name. */
    record PracticeReport(String name, PracticeRunStatus status) implements Output {
    }

    /** A record that could not be used, with why. */
    record DeadLetter(RecordOrigin origin, String key, byte[] value, Flaw flaw, String reason) implements Output {
    }
}
