package io.meshpilot.controlplane.practice;

import io.meshpilot.schemas.FieldError;
import java.util.List;

/** What the practice-run validator made of a record. */
public sealed interface PracticeVerdict {

    record Accepted(PracticePlan plan) implements PracticeVerdict {
    }

    record Rejected(List<FieldError> errors) implements PracticeVerdict {

        public Rejected {
            errors = List.copyOf(errors);
        }
    }
}
