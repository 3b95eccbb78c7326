package io.meshpilot.controlplane.whatif;

import io.meshpilot.controlplane.policy.PolicyValidator;
import io.meshpilot.controlplane.policy.PolicyVerdict;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.whatif.RegionChange;
import io.meshpilot.schemas.FieldError;
import io.meshpilot.schemas.Names;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The body of {@code POST /api/v1/what-if}: region changes ({@code {"region": "us", "change": "down"}}, {@code
 * degraded} with {@code ready}, {@code drained}, {@code stale}), policy documents not yet applied (each a
 * {@code TrafficPolicy} carrying its {@code scope}, judged as the control plane judges the policies topic), and an
 * optional {@code namespace} to look at. Every problem names its field.
 */
record WhatIfRequest(List<RegionChange> changes, Map<String, Policy> policies, Optional<String> namespace) {

    private static final Set<String> FIELDS = Set.of("changes", "policies", "namespace");
    private static final Set<String> CHANGE_FIELDS = Set.of("region", "change", "ready");

    static WhatIfRequest parse(String body, Set<String> knownRegions) {
        JsonObject document;
        try {
            document = new JsonObject(body == null || body.isBlank() ? "{}" : body);
        } catch (DecodeException | ClassCastException e) {
            throw new Invalid("$", "the body must be a JSON object");
        }
        unknown(document, FIELDS, "");
        List<RegionChange> changes = changes(array(document, "changes"), knownRegions);
        Map<String, Policy> policies = policies(array(document, "policies"), knownRegions);
        Optional<String> namespace = Optional.ofNullable(text(document, "namespace", "namespace"));
        namespace.flatMap(Names::namespace).ifPresent(problem -> {
            throw new Invalid("namespace", "'" + namespace.get() + "' " + problem);
        });
        if (changes.isEmpty() && policies.isEmpty()) {
            throw new Invalid("changes", "name at least one change or policy");
        }
        return new WhatIfRequest(changes, policies, namespace);
    }

    private static List<RegionChange> changes(JsonArray array, Set<String> knownRegions) {
        List<RegionChange> changes = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String at = "changes[" + i + "]";
            if (!(array.getValue(i) instanceof JsonObject change)) {
                throw new Invalid(at, "must be an object with region and change");
            }
            unknown(change, CHANGE_FIELDS, at + ".");
            String region = required(change, "region", at);
            Names.region(region).ifPresent(problem -> {
                throw new Invalid(at + ".region", "'" + region + "' " + problem);
            });
            if (!knownRegions.contains(region)) {
                throw new Invalid(at + ".region", "'" + region + "' is not a known region "
                        + new TreeSet<>(knownRegions));
            }
            String kind = required(change, "change", at);
            RegionChange.Kind parsed = Arrays.stream(RegionChange.Kind.values())
                    .filter(value -> value.wireName().equals(kind)).findFirst()
                    .orElseThrow(() -> new Invalid(at + ".change", "'" + kind + "' must be one of "
                            + Arrays.stream(RegionChange.Kind.values()).map(RegionChange.Kind::wireName).toList()));
            Object ready = change.getValue("ready");
            if (parsed == RegionChange.Kind.DEGRADED) {
                if (!(ready instanceof Integer count) || count < 0) {
                    throw new Invalid(at + ".ready", "a degraded region needs ready, a whole number of at least 0");
                }
                changes.add(RegionChange.degraded(region, count));
            } else if (ready != null) {
                throw new Invalid(at + ".ready", "only a degraded region takes ready");
            } else {
                changes.add(new RegionChange(parsed, region, 0));
            }
        }
        return changes;
    }

    private static Map<String, Policy> policies(JsonArray array, Set<String> knownRegions) {
        Map<String, Policy> policies = new LinkedHashMap<>();
        PolicyValidator validator = new PolicyValidator();
        for (int i = 0; i < array.size(); i++) {
            String at = "policies[" + i + "]";
            if (!(array.getValue(i) instanceof JsonObject document)) {
                throw new Invalid(at, "must be a TrafficPolicy document");
            }
            if (!(document.getValue("scope") instanceof String scope)) {
                throw new Invalid(at + ".scope", "required: the scope the policy would be written to");
            }
            PolicyVerdict verdict = validator.judge(scope, document.encode().getBytes(StandardCharsets.UTF_8),
                    knownRegions);
            if (verdict instanceof PolicyVerdict.Rejected rejected) {
                FieldError first = rejected.errors().get(0);
                throw new Invalid(at + "." + first.field().replace("key", "scope"), first.problem());
            }
            if (policies.put(scope, ((PolicyVerdict.Accepted) verdict).policy()) != null) {
                throw new Invalid(at + ".scope", "'" + scope + "' appears twice");
            }
        }
        return policies;
    }

    private static JsonArray array(JsonObject document, String field) {
        Object value = document.getValue(field);
        if (value == null) {
            return new JsonArray();
        }
        if (!(value instanceof JsonArray array)) {
            throw new Invalid(field, "must be an array");
        }
        return array;
    }

    private static String required(JsonObject object, String field, String at) {
        String value = text(object, field, at + "." + field);
        if (value == null) {
            throw new Invalid(at + "." + field, "required");
        }
        return value;
    }

    private static String text(JsonObject object, String field, String path) {
        Object value = object.getValue(field);
        if (value != null && !(value instanceof String)) {
            throw new Invalid(path, "must be a string");
        }
        return (String) value;
    }

    private static void unknown(JsonObject object, Set<String> known, String prefix) {
        object.fieldNames().stream().sorted().filter(name -> !known.contains(name)).findFirst().ifPresent(name -> {
            throw new Invalid(prefix + name, "unknown field; known: " + new TreeSet<>(known));
        });
    }

    /** A request the client must fix, naming the field. */
    static final class Invalid extends RuntimeException {

        Invalid(String field, String problem) {
            super(field + ": " + problem, null, false, false);
        }
    }

}
