package io.meshpilot.controlplane.practice;

import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A valid practice run: drain {@code region} for {@code duration}, for the Services the scopes cover. */
public record PracticePlan(String name, String region, Optional<Instant> startAt, Duration duration,
        List<String> scopes, Optional<AllowedHours> allowedHours) {

    public PracticePlan {
        scopes = List.copyOf(scopes);
    }

    public boolean covers(ServiceKey service) {
        return scopes.stream().anyMatch(scope -> PolicyBook.covers(scope, service));
    }

    /** Whether a window starting then is within the allowed hours (always, without them). */
    public boolean allowedAt(Instant start) {
        return allowedHours.map(hours -> hours.contains(start, start.plus(duration))).orElse(true);
    }
}
