package io.meshpilot.controlplane.policy;

import io.meshpilot.core.decision.Policy;
import io.meshpilot.schemas.FieldError;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A policy record judged: accepted with the rules it sets, or rejected with every error found. */
public sealed interface PolicyVerdict {

    /** @param expiresAt when the pin ends (only a policy with a mode other than auto has one) */
    record Accepted(Policy policy, Optional<Instant> expiresAt) implements PolicyVerdict {

        public Accepted(Policy policy) {
            this(policy, Optional.empty());
        }
    }

    record Rejected(List<FieldError> errors) implements PolicyVerdict {

        public Rejected {
            errors = List.copyOf(errors);
        }
    }
}
