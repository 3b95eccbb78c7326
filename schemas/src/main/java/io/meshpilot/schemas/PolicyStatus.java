package io.meshpilot.schemas;

import java.time.Instant;
import java.util.List;

/** The control plane's answer to the policy record at {@code policyPartition}/{@code policyOffset}. */
public record PolicyStatus(
        String scope,
        boolean accepted,
        List<FieldError> errors,
        List<String> warnings,
        int policyPartition,
        long policyOffset,
        Instant observedAt,
        Instant expiredAt) implements MeshRecord {

    /** A status of a policy that has not expired. */
    public PolicyStatus(String scope, boolean accepted, List<FieldError> errors, List<String> warnings,
            int policyPartition, long policyOffset, Instant observedAt) {
        this(scope, accepted, errors, warnings, policyPartition, policyOffset, observedAt, null);
    }

    public PolicyStatus {
        errors = List.copyOf(errors);
        warnings = warnings == null || warnings.isEmpty() ? null : List.copyOf(warnings);
    }

    /** A status without warnings. */
    public PolicyStatus(String scope, boolean accepted, List<FieldError> errors, int policyPartition,
            long policyOffset, Instant observedAt) {
        this(scope, accepted, errors, null, policyPartition, policyOffset, observedAt);
    }
}
