package io.meshpilot.controlplane.policy;

import io.meshpilot.core.decision.Policy;
import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The accepted policies by scope, and which applies to a Service: {@code <namespace>/<service>} over
 * {@code <namespace>/*} over {@code *}, else the defaults. A rejected record leaves the last accepted one in force.
 * Confined to the event loop.
 */
public final class PolicyBook {

    public static final String EVERYTHING = "*";

    private final Map<String, Policy> byScope = new HashMap<>();

    public void accept(String scope, Policy policy) {
        byScope.put(scope, policy);
    }

    /** A tombstone: the scope falls back to the next less specific policy. */
    public void delete(String scope) {
        byScope.remove(scope);
    }

    public Optional<Policy> byScope(String scope) {
        return Optional.ofNullable(byScope.get(scope));
    }

    public Policy resolve(ServiceKey service) {
        Policy exact = byScope.get(service.namespace() + "/" + service.name());
        if (exact != null) {
            return exact;
        }
        Policy namespace = byScope.get(service.namespace() + "/*");
        if (namespace != null) {
            return namespace;
        }
        return byScope.getOrDefault(EVERYTHING, Policy.DEFAULT);
    }

    /** Whether a policy of this scope could apply to the Service. */
    public static boolean covers(String scope, ServiceKey service) {
        return scope.equals(EVERYTHING) || scope.equals(service.namespace() + "/*")
                || scope.equals(service.namespace() + "/" + service.name());
    }

    /** Every staleAfter in force (the default's included), for the regions' liveness timers. */
    public Set<Duration> staleAfters() {
        Set<Duration> all = byScope.values().stream().map(Policy::staleAfter).collect(Collectors.toCollection(TreeSet::new));
        all.add(Policy.DEFAULT.staleAfter());
        return all;
    }
}
