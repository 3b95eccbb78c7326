package io.meshpilot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshpilot.schemas.BuildInfo;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** As {@code kubectl version}: this build, and the control plane's when it answers (exit 1 when it does not). */
@Command(name = "version",
        description = "Print the client's version and, unless --client, the control plane's (GET /api/v1/version).")
final class VersionCommand implements Callable<Integer> {

    @Option(names = "--client", defaultValue = "${env:MESHPILOT_VERSION_CLIENT:-false}",
            description = "Only the client's version; do not ask the control plane (env MESHPILOT_VERSION_CLIENT).")
    boolean clientOnly;

    @Mixin
    ControlPlaneApi api;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        ObjectNode versions = OutputOption.JSON.createObjectNode();
        versions.putObject("clientVersion").put("version", BuildInfo.version())
                .put("java", Runtime.version().toString());
        if (output.text()) {
            out.println("Client Version: " + BuildInfo.version());
            out.flush();
        }
        if (!clientOnly) {
            JsonNode server;
            try {
                server = api.get("/api/v1/version", Map.of());
            } catch (IllegalStateException unreachable) {
                if (!output.text()) {
                    output.print(out, versions);
                }
                throw unreachable;
            }
            versions.set("serverVersion", server);
            if (output.text()) {
                out.println("Server Version: " + server.path("version").asText("unknown") + " (" + api.url + ")");
            }
        }
        if (!output.text()) {
            output.print(out, versions);
        }
        out.flush();
        return 0;
    }
}
