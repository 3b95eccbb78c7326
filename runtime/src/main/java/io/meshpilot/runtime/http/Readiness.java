package io.meshpilot.runtime.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Named readiness checks: a component is ready when none reports a problem. Checks are cheap reads of state the
 * component keeps anyway; they never call out.
 */
public final class Readiness {

    private final Map<String, Supplier<Optional<String>>> checks = new ConcurrentHashMap<>();

    /** Adds a check that returns a problem, or empty when all is well. */
    public Readiness check(String name, Supplier<Optional<String>> check) {
        checks.put(name, check);
        return this;
    }

    /** The problems of the checks that fail, as {@code name: problem}, sorted by name. */
    public List<String> problems() {
        return checks.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .flatMap(check -> check.getValue().get().map(problem -> check.getKey() + ": " + problem).stream())
                .toList();
    }
}
