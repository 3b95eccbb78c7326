package io.meshpilot.runtime.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Named readiness checks: a component is ready when none reports a problem. Checks are cheap reads of state the
 * component keeps anyway; they never call out.
 */
public final class Readiness {

    private final Map<String, Supplier<Optional<String>>> checks = new ConcurrentHashMap<>();
    private final Set<String> fatal = ConcurrentHashMap.newKeySet();

    /** Adds a check that returns a problem, or empty when all is well. */
    public Readiness check(String name, Supplier<Optional<String>> check) {
        checks.put(name, check);
        return this;
    }

    /**
     * Adds a check whose problem only a restart mends (a part of the component that stopped for good): it fails
     * liveness ({@code /healthz}) as well as readiness.
     */
    public Readiness fatalCheck(String name, Supplier<Optional<String>> check) {
        fatal.add(name);
        return check(name, check);
    }

    /** The problems of the checks that fail, as {@code name: problem}, sorted by name. */
    public List<String> problems() {
        return problems(checks.keySet());
    }

    /** The problems of the fatal checks that fail. */
    public List<String> fatalProblems() {
        return problems(fatal);
    }

    private List<String> problems(Set<String> names) {
        return checks.entrySet().stream()
                .filter(check -> names.contains(check.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .flatMap(check -> check.getValue().get().map(problem -> check.getKey() + ": " + problem).stream())
                .toList();
    }
}
