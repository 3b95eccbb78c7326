package io.meshpilot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshpilot.schemas.ServiceKey;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "explain",
        description = "Explain the decision for a Service, region by region: health, state, reason, annotations, "
                + "the agent's status, and where each region's clients go (asks the control plane's API; -o json "
                + "and -o yaml print the API's own fields).")
final class ExplainCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAMESPACE/SERVICE", description = "The Service to explain.")
    String service;

    @Mixin
    ControlPlaneApi api;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ServiceKey key = ServiceKey.parse(service).orElseThrow(() -> new IllegalArgumentException(
                "'" + service + "' is not NAMESPACE/SERVICE"));
        JsonNode body = api.get("/api/v1/services/" + key, Map.of());
        PrintWriter out = spec.commandLine().getOut();
        if (output.text()) {
            lines(body).forEach(out::println);
        } else {
            output.print(out, body);
        }
        return 0;
    }

    /** The explanation as text lines. */
    static List<String> lines(JsonNode service) {
        List<String> lines = new ArrayList<>();
        JsonNode policy = service.get("policy");
        lines.add(service.get("namespace").asText() + "/" + service.get("name").asText() + ": policy "
                + policy.get("scope").asText() + " (mode " + policy.get("mode").asText() + ", minReadyEndpoints "
                + policy.get("minReadyEndpoints").asText() + ", minReadyRatio " + policy.get("minReadyRatio").asText()
                + ", failover after " + policy.get("failoverDelaySeconds").asText() + " s, failback after "
                + policy.get("failbackDelaySeconds").asText() + " s, stale after "
                + policy.get("staleAfterSeconds").asText() + " s)");
        for (JsonNode region : service.get("regions")) {
            lines.add(String.format("  %-8s %-9s %s", region.get("region").asText(), region.get("state").asText(),
                    region.hasNonNull("reason") ? region.get("reason").asText() : "(no directive yet)"));
            if (region.hasNonNull("health")) {
                JsonNode health = region.get("health");
                lines.add("           health: " + health.get("ready").asText() + " ready of "
                        + health.get("total").asText() + " (" + health.get("active").asText() + " active), observed "
                        + health.get("observedAt").asText());
            }
            if (region.hasNonNull("directive")) {
                JsonNode directive = region.get("directive");
                lines.add("           directive " + directive.get("version").asText() + " since "
                        + directive.get("decidedAt").asText() + ": " + annotations(directive.get("annotations")));
            }
            if (region.hasNonNull("status")) {
                JsonNode status = region.get("status");
                lines.add("           agent: " + status.get("result").asText() + " directive "
                        + status.get("version").asText()
                        + (status.hasNonNull("message") ? " (" + status.get("message").asText() + ")" : ""));
            }
            lines.add("           clients reach: " + routes(region.get("routes")));
        }
        return lines;
    }

    private static String annotations(JsonNode annotations) {
        if (annotations.isEmpty()) {
            return "no meshpilot annotations";
        }
        String global = annotations.path("service.cilium.io/global").asText("-");
        String shared = annotations.path("service.cilium.io/shared").asText("-");
        String affinity = annotations.path("service.cilium.io/affinity").asText("(none: balanced)");
        return "global=" + global + " shared=" + shared + " affinity=" + affinity;
    }

    private static String routes(JsonNode routes) {
        if (routes == null || routes.isEmpty()) {
            return "no backend";
        }
        List<String> reached = new ArrayList<>();
        routes.fields().forEachRemaining(route -> reached.add(route.getKey() + " (" + route.getValue().asInt()
                + " backends)"));
        return String.join(", ", reached);
    }
}
