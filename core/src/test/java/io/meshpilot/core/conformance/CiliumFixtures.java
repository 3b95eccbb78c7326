package io.meshpilot.core.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshpilot.core.health.Endpoint;
import io.meshpilot.core.health.EndpointSliceSelection;
import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.core.routing.CiliumRelease;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.core.routing.ClusterMeshNamespace;
import io.meshpilot.core.routing.ClusterService;
import io.meshpilot.core.routing.RoutingModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shared Cilium fixture table (src/test/resources/cilium-conformance/fixtures.json, also read by the Go program
 * in cilium-conformance/) and what meshpilot's domain makes of each case, in the vocabulary of the table.
 */
final class CiliumFixtures {

    static final Path FILE = Path.of("src", "test", "resources", "cilium-conformance", "fixtures.json");
    static final ObjectMapper JSON = new ObjectMapper();

    private CiliumFixtures() {
    }

    static JsonNode load() {
        try {
            return JSON.readTree(Files.readString(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CiliumRelease pinned(JsonNode fixtures) {
        return CiliumRelease.parse(fixtures.get("cilium").asText());
    }

    /** The release a case is about: its own, or the one the Go program pins. */
    static CiliumRelease release(JsonNode fixtures, JsonNode testCase) {
        return testCase.hasNonNull("release") ? CiliumRelease.parse(testCase.get("release").asText())
                : pinned(fixtures);
    }

    /** Whether the Go program runs the case through Cilium's code, rather than it being a golden case. */
    static boolean checkedByCilium(JsonNode fixtures, JsonNode testCase) {
        return release(fixtures, testCase).equals(pinned(fixtures));
    }

    static Endpoint endpoint(String identity, JsonNode conditions) {
        return new Endpoint(identity, flag(conditions, "ready"), flag(conditions, "serving"),
                flag(conditions, "terminating"));
    }

    private static Boolean flag(JsonNode node, String name) {
        return node.hasNonNull(name) ? node.get(name).asBoolean() : null;
    }

    static Map<String, Object> condition(JsonNode testCase) {
        Endpoint endpoint = endpoint("pod", testCase);
        return Map.of("localState", endpoint.localState().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                "exported", endpoint.isExported());
    }

    static Map<String, Object> annotations(JsonNode fixtures, JsonNode testCase) {
        CiliumServiceConfig.Reading reading = CiliumServiceConfig.read(strings(testCase.get("annotations")),
                release(fixtures, testCase));
        return Map.of("global", reading.config().global(), "shared", reading.config().exports(),
                "affinity", reading.config().affinity().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                "warning", !reading.warnings().isEmpty());
    }

    static boolean namespace(JsonNode testCase) {
        return ClusterMeshNamespace.isGlobal(strings(testCase.get("annotations")),
                testCase.get("globalByDefault").asBoolean());
    }

    static boolean sliceCounted(JsonNode testCase) {
        return EndpointSliceSelection.counts(strings(testCase.get("labels")));
    }

    /** Backends reached from the case's cluster, per cluster, as RoutingModel says. */
    static Map<String, Integer> selection(JsonNode fixtures, JsonNode testCase) {
        CiliumRelease release = release(fixtures, testCase);
        List<ClusterService> clusters = new ArrayList<>();
        for (JsonNode cluster : testCase.get("clusters")) {
            List<Endpoint> endpoints = new ArrayList<>();
            for (JsonNode conditions : cluster.get("endpoints")) {
                endpoints.add(endpoint("pod-" + endpoints.size(), conditions));
            }
            CiliumServiceConfig config = CiliumServiceConfig.read(strings(cluster.get("annotations")), release)
                    .config();
            boolean byDefault = !cluster.hasNonNull("globalByDefault") || cluster.get("globalByDefault").asBoolean();
            boolean namespaceExports = !release.gatesExportByNamespace()
                    || ClusterMeshNamespace.isGlobal(strings(cluster.get("namespaceAnnotations")), byDefault);
            clusters.add(ClusterService.of(cluster.get("name").asText(), config, EndpointTally.count(endpoints))
                    .withNamespaceExports(namespaceExports));
        }
        return RoutingModel.reachableFrom(testCase.get("from").asText(), clusters);
    }

    static Map<String, Integer> counts(JsonNode node) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        node.properties().forEach(entry -> counts.put(entry.getKey(), entry.getValue().asInt()));
        return counts;
    }

    static Map<String, Object> values(JsonNode node) {
        return JSON.convertValue(node, JSON.getTypeFactory().constructMapType(Map.class, String.class,
                Object.class));
    }

    static Map<String, String> strings(JsonNode node) {
        Map<String, String> strings = new LinkedHashMap<>();
        if (node != null) {
            node.properties().forEach(entry -> strings.put(entry.getKey(), entry.getValue().asText()));
        }
        return strings;
    }
}
