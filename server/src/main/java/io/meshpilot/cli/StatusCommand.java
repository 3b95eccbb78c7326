package io.meshpilot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The managed Services, region by region, as {@code GET /api/v1/services} lists them (every page of it, with its
 * filters). A Service matching the filters is listed with all its regions.
 */
@Command(name = "status",
        description = "List the managed Services, one line per Service and region: state, annotations in force, "
                + "reason (asks the control plane's API; -o json and -o yaml print the API's own fields).")
final class StatusCommand implements Callable<Integer> {

    private static final int PAGE = 500;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAME", defaultValue = "${env:MESHPILOT_STATUS_NAMESPACE}",
            description = "Only Services of this namespace (env MESHPILOT_STATUS_NAMESPACE; default: all).")
    String namespace;

    @Option(names = "--region", paramLabel = "NAME", defaultValue = "${env:MESHPILOT_STATUS_REGION}",
            description = "Only Services present in this region (with --state: in that state there) "
                    + "(env MESHPILOT_STATUS_REGION; default: all).")
    String region;

    @Option(names = "--state", paramLabel = "STATE", defaultValue = "${env:MESHPILOT_STATUS_STATE}",
            description = "Only Services with a region in this state: healthy, degraded, drained, stale, pending "
                    + "or unmanaged (env MESHPILOT_STATUS_STATE; default: any).")
    String state;

    @Mixin
    ControlPlaneApi api;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ArrayNode items = OutputOption.JSON.createArrayNode();
        JsonNode total = null;
        String page = null;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("namespace", namespace);
            query.put("region", region);
            query.put("state", state);
            query.put("limit", String.valueOf(PAGE));
            query.put("page", page);
            JsonNode body = api.get("/api/v1/services", query);
            body.path("items").forEach(items::add);
            total = body.get("total");
            page = body.hasNonNull("next") ? body.get("next").asText() : null;
        } while (page != null);
        PrintWriter out = spec.commandLine().getOut();
        if (!output.text()) {
            ObjectNode list = OutputOption.JSON.createObjectNode();
            list.set("items", items);
            list.set("total", total);
            output.print(out, list);
            return 0;
        }
        if (items.isEmpty()) {
            spec.commandLine().getErr().println("status: no managed Services"
                    + (namespace == null && region == null && state == null ? "" : " match"));
            return 0;
        }
        table(items).forEach(out::println);
        out.flush();
        return 0;
    }

    /** One row per Service and region, columns aligned as kubectl aligns them. */
    static List<String> table(JsonNode items) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAMESPACE", "NAME", "REGION", "STATE", "GLOBAL", "SHARED", "AFFINITY", "REASON"});
        for (JsonNode service : items) {
            for (JsonNode line : service.path("regions")) {
                rows.add(new String[] {service.path("namespace").asText(), service.path("name").asText(),
                    line.path("region").asText(), line.path("state").asText(), text(line, "global"),
                    text(line, "shared"), text(line, "affinity"), text(line, "reason")});
            }
        }
        int[] widths = new int[rows.get(0).length];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        });
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 3) + "s", row[i]));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    private static String text(JsonNode line, String field) {
        return line.hasNonNull(field) ? line.get(field).asText() : "-";
    }
}
