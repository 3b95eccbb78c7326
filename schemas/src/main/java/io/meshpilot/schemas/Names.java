package io.meshpilot.schemas;

import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Schema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks names against the rules of {@code common.schema.json}, so a command-line flag, a topic name and a document
 * are judged by the same definition. Each check returns the problem, or empty when the name is valid.
 */
public final class Names {

    private static final Rules RULES = new Rules();
    private static final Map<String, Boolean> REGIONS_SEEN = new ConcurrentHashMap<>();

    private Names() {
    }

    /** A region: a Cilium cluster name, a DNS-1123 label of at most 32 characters. */
    public static Optional<String> region(String name) {
        return check(RULES.region, name);
    }

    public static Optional<String> namespace(String name) {
        return check(RULES.namespace, name);
    }

    public static Optional<String> service(String name) {
        return check(RULES.service, name);
    }

    /** A policy scope: {@code <namespace>/<service>}, {@code <namespace>/*} or {@code *}. */
    public static Optional<String> scope(String name) {
        return check(RULES.scope, name);
    }

    /** A practice run's name (its record key): a DNS-1123 label. */
    public static Optional<String> runName(String name) {
        return check(RULES.runName, name);
    }

    /** Whether a name is a valid region; remembered, since the same few regions are asked about for every record. */
    public static boolean isRegion(String name) {
        if (name == null) {
            return false;
        }
        Boolean known = REGIONS_SEEN.get(name);
        if (known != null) {
            return known;
        }
        boolean valid = region(name).isEmpty();
        if (REGIONS_SEEN.size() < 10_000) {
            REGIONS_SEEN.put(name, valid);
        }
        return valid;
    }

    private static Optional<String> check(Schema rule, String name) {
        if (name == null) {
            return Optional.of("is required");
        }
        List<FieldError> errors = SchemaErrors.toFieldErrors(rule.validate(TextNode.valueOf(name)));
        return errors.stream().findFirst().map(FieldError::problem);
    }

    private static final class Rules {
        private final Schema region;
        private final Schema namespace;
        private final Schema service;
        private final Schema scope;
        private final Schema runName;

        private Rules() {
            SchemaCatalog catalog = new SchemaCatalog();
            region = catalog.commonDefinition("region");
            namespace = catalog.commonDefinition("namespace");
            service = catalog.commonDefinition("serviceName");
            scope = catalog.commonDefinition("scope");
            runName = catalog.commonDefinition("runName");
        }
    }
}
