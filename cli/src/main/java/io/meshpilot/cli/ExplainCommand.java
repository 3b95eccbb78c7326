package io.meshpilot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshpilot.schemas.ServiceKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explain the decision for a Service, region by region: health, state, reason, annotations, "
                + "the agent's status, and where each region's clients go (asks the control plane's API).")
final class ExplainCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "NAMESPACE/SERVICE", description = "The Service to explain.")
    String service;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:MESHPILOT_URL:-http://127.0.0.1:8080}",
            description = "The control plane's HTTP address (env MESHPILOT_URL; default: ${DEFAULT-VALUE}).")
    String url;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ServiceKey key = ServiceKey.parse(service).orElseThrow(() -> new IllegalArgumentException(
                "'" + service + "' is not NAMESPACE/SERVICE"));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/api/v1/services/" + key))
                            .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            err.println("explain: cannot reach the control plane at " + url + ": " + e.getMessage());
            return 1;
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() != 200) {
            err.println("explain: " + (body.hasNonNull("message") ? body.get("message").asText()
                    : "the control plane answered " + response.statusCode()));
            return 1;
        }
        lines(body).forEach(out::println);
        return 0;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
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
