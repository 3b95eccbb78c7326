package io.meshpilot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshpilot.cli.policy.PolicyDocuments;
import io.meshpilot.schemas.FieldError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "what-if",
        description = "Ask the control plane what would happen, without changing anything: regions down, degraded, "
                + "drained or stale, and policies not yet applied. Prints, per Service that would change, each "
                + "region's directive and where its clients go before and after, and the Services that would end "
                + "in a global outage (POST /api/v1/what-if; -o json and -o yaml print the API's own fields).")
final class WhatIfCommand implements Callable<Integer> {

    @Option(names = "--down", paramLabel = "REGION", split = ",", defaultValue = "${env:MESHPILOT_WHAT_IF_DOWN}",
            description = "Regions whose Services lose every endpoint, their agents still reporting "
                    + "(env MESHPILOT_WHAT_IF_DOWN, comma-separated).")
    List<String> down = new ArrayList<>();

    @Option(names = "--degraded", paramLabel = "REGION=READY", split = ",",
            defaultValue = "${env:MESHPILOT_WHAT_IF_DEGRADED}",
            description = "Regions whose Services keep only READY ready endpoints, e.g. us=1 "
                    + "(env MESHPILOT_WHAT_IF_DEGRADED, comma-separated).")
    List<String> degraded = new ArrayList<>();

    @Option(names = "--drained", paramLabel = "REGION", split = ",",
            defaultValue = "${env:MESHPILOT_WHAT_IF_DRAINED}",
            description = "Regions drained by every Service's policy (env MESHPILOT_WHAT_IF_DRAINED, "
                    + "comma-separated).")
    List<String> drained = new ArrayList<>();

    @Option(names = "--stale", paramLabel = "REGION", split = ",", defaultValue = "${env:MESHPILOT_WHAT_IF_STALE}",
            description = "Regions whose agents fall silent (env MESHPILOT_WHAT_IF_STALE, comma-separated).")
    List<String> stale = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", defaultValue = "${env:MESHPILOT_WHAT_IF_FILE}",
            description = "Policies not yet applied: a YAML or JSON file of TrafficPolicy documents, each with its "
                    + "scope, as policy apply takes; '-' reads standard input (env MESHPILOT_WHAT_IF_FILE).")
    Path file;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
            defaultValue = "${env:MESHPILOT_WHAT_IF_NAMESPACE}",
            description = "Only the Services of this namespace (env MESHPILOT_WHAT_IF_NAMESPACE; default: all).")
    String namespace;

    @Mixin
    ControlPlaneApi api;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        List<PolicyDocuments.Document> policies = file == null ? List.of() : PolicyDocuments.read(file);
        ObjectNode request = request(policies);
        if (request.path("changes").isEmpty() && policies.isEmpty()) {
            throw new IllegalArgumentException("name a change (--down, --degraded, --drained, --stale) or a policy "
                    + "file (-f)");
        }
        return ask(api, output, request, spec.commandLine().getOut());
    }

    /** Asks the control plane and prints its answer. */
    static int ask(ControlPlaneApi api, OutputOption output, ObjectNode request, PrintWriter out)
            throws InterruptedException {
        JsonNode report = api.post("/api/v1/what-if", request);
        if (output.text()) {
            lines(report).forEach(out::println);
            out.flush();
        } else {
            output.print(out, report);
        }
        return 0;
    }

    private ObjectNode request(List<PolicyDocuments.Document> policies) {
        ObjectNode request = OutputOption.JSON.createObjectNode();
        ArrayNode changes = request.putArray("changes");
        down.forEach(region -> change(changes, region, "down"));
        drained.forEach(region -> change(changes, region, "drained"));
        stale.forEach(region -> change(changes, region, "stale"));
        for (String entry : degraded) {
            String[] parts = entry.split("=", 2);
            int ready;
            try {
                ready = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : -1;
            } catch (NumberFormatException e) {
                ready = -1;
            }
            if (ready < 0) {
                throw new IllegalArgumentException("--degraded '" + entry + "' is not REGION=READY (e.g. us=1)");
            }
            change(changes, parts[0].trim(), "degraded").put("ready", ready);
        }
        request.set("policies", policies(policies));
        if (namespace != null) {
            request.put("namespace", namespace);
        }
        return request;
    }

    private static ObjectNode change(ArrayNode changes, String region, String change) {
        return changes.addObject().put("region", region.trim()).put("change", change);
    }

    /** The documents of a policy file, checked against the bundled schemas first. */
    static ArrayNode policies(List<PolicyDocuments.Document> documents) {
        ArrayNode policies = OutputOption.JSON.createArrayNode();
        for (PolicyDocuments.Document document : documents) {
            List<FieldError> errors = PolicyDocuments.check(document);
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(document.scope() + ": rejected by the schemas: " + errors.get(0));
            }
            try {
                policies.add(OutputOption.JSON.readTree(document.json()));
            } catch (IOException e) {
                throw new IllegalArgumentException(document.scope() + ": " + e.getMessage(), e);
            }
        }
        return policies;
    }

    /** The report as text: one line per region of each Service that would change, then the outages. */
    static List<String> lines(JsonNode report) {
        List<String> lines = new ArrayList<>();
        String format = "%-28s %-8s %-36s %-36s %s";
        if (!report.path("services").isEmpty()) {
            lines.add(String.format(format, "SERVICE", "REGION", "BEFORE", "AFTER", "CLIENTS REACH (BEFORE -> AFTER)")
                    .stripTrailing());
        }
        for (JsonNode service : report.path("services")) {
            String name = service.get("namespace").asText() + "/" + service.get("name").asText();
            for (JsonNode region : service.path("regions")) {
                JsonNode before = region.get("before");
                JsonNode after = region.get("after");
                lines.add(String.format(format, name, region.get("region").asText(), side(before), side(after),
                        routes(before.get("routes")) + " -> " + routes(after.get("routes"))).stripTrailing());
            }
            if (!service.get("policyBefore").asText().equals(service.get("policyAfter").asText())) {
                lines.add("  policy " + service.get("policyBefore").asText() + " -> "
                        + service.get("policyAfter").asText());
            }
            if (!service.path("settled").asBoolean(true)) {
                lines.add("  still changing at " + service.get("settledAt").asText());
            }
        }
        List<String> outages = new ArrayList<>();
        report.path("globalOutages").forEach(outage -> outages.add(outage.asText()));
        lines.add(outages.isEmpty() ? "No Service would end in a global outage."
                : "Global outage: " + String.join(", ", outages));
        lines.add(report.path("services").size() + " Services would change, " + report.path("unchanged").asInt()
                + " would not. Nothing was changed.");
        return lines;
    }

    private static String side(JsonNode side) {
        String affinity = side.hasNonNull("affinity") ? side.get("affinity").asText() : "-";
        String export = side.hasNonNull("shared") ? (side.get("shared").asBoolean() ? "exports" : "withdrawn") : "-";
        return side.get("reason").asText() + " " + affinity + "," + export;
    }

    private static String routes(JsonNode routes) {
        if (routes == null || routes.isEmpty()) {
            return "nothing";
        }
        List<String> reached = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = routes.fields();
        fields.forEachRemaining(route -> reached.add(route.getKey() + "(" + route.getValue().asInt() + ")"));
        return String.join(",", reached);
    }
}
