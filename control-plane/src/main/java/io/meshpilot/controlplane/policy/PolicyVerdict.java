package io.meshpilot.controlplane.policy;

import io.meshpilot.core.decision.Policy;
import io.meshpilot.schemas.FieldError;
import java.util.List;

/** A policy record judged: accepted with the rules it sets, or rejected with every error found. */
public sealed interface PolicyVerdict {

    record Accepted(Policy policy) implements PolicyVerdict {
    }

    record Rejected(List<FieldError> errors) implements PolicyVerdict {

        public Rejected {
            errors = List.copyOf(errors);
        }
    }
}
