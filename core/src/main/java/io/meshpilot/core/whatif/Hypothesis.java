package io.meshpilot.core.whatif;

import io.meshpilot.core.decision.Policy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator asks about: changes to regions, and the policy each Service would resolve to if a policy
 * document not yet applied were (only the Services whose policy it changes; resolving scopes is the caller's).
 */
public record Hypothesis(List<RegionChange> changes, Map<String, Policy> policies) {

    public Hypothesis {
        changes = List.copyOf(changes);
        policies = Map.copyOf(policies);
    }

    public static Hypothesis of(RegionChange... changes) {
        return new Hypothesis(List.of(changes), Map.of());
    }

    Optional<Policy> policy(String service) {
        return Optional.ofNullable(policies.get(service));
    }
}
