package io.meshpilot.embedded.kubernetes;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API discovery documents kubectl needs before it talks to a server ({@code /version}, {@code /api},
 * {@code /apis} and each group-version's resource list), which fabric8's mock server does not serve. They list the
 * resource types a sandbox region holds.
 */
final class ApiDiscovery {

    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");

    /** One resource type: its plural, kind, short names, and whether it lives in a namespace. */
    private record Resource(String plural, String kind, List<String> shortNames, boolean namespaced) {

        APIResource toApi() {
            return new APIResourceBuilder().withName(plural).withSingularName(kind.toLowerCase())
                    .withKind(kind).withNamespaced(namespaced).withShortNames(shortNames).withVerbs(VERBS).build();
        }
    }

    private static final Map<String, List<Resource>> GROUP_VERSIONS = new LinkedHashMap<>();

    static {
        GROUP_VERSIONS.put("v1", List.of(
                new Resource("namespaces", "Namespace", List.of("ns"), false),
                new Resource("services", "Service", List.of("svc"), true),
                new Resource("endpoints", "Endpoints", List.of("ep"), true),
                new Resource("pods", "Pod", List.of("po"), true),
                new Resource("events", "Event", List.of("ev"), true),
                new Resource("configmaps", "ConfigMap", List.of("cm"), true)));
        GROUP_VERSIONS.put("apps/v1", List.of(
                new Resource("deployments", "Deployment", List.of("deploy"), true)));
        GROUP_VERSIONS.put("discovery.k8s.io/v1", List.of(
                new Resource("endpointslices", "EndpointSlice", List.of(), true)));
        GROUP_VERSIONS.put("coordination.k8s.io/v1", List.of(
                new Resource("leases", "Lease", List.of(), true)));
        GROUP_VERSIONS.put("events.k8s.io/v1", List.of(
                new Resource("events", "Event", List.of("ev"), true)));
    }

    private final String serverAddress;

    ApiDiscovery(String serverAddress) {
        this.serverAddress = serverAddress;
    }

    /** The document for a discovery path, if it is one. */
    Optional<String> document(String path) {
        return switch (path) {
            case "/version", "/version/" -> Optional.of(version());
            case "/api", "/api/" -> Optional.of(Serialization.asJson(new APIVersionsBuilder().withVersions("v1")
                    .addNewServerAddressByClientCIDR("0.0.0.0/0", serverAddress).build()));
            case "/apis", "/apis/" -> Optional.of(Serialization.asJson(new APIGroupListBuilder()
                    .withGroups(groups()).build()));
            default -> resources(path);
        };
    }

    private Optional<String> resources(String path) {
        String groupVersion = path.startsWith("/api/") ? path.substring("/api/".length())
                : path.startsWith("/apis/") ? path.substring("/apis/".length()) : "";
        List<Resource> resources = GROUP_VERSIONS.get(groupVersion);
        if (resources == null) {
            return Optional.empty();
        }
        List<APIResource> listed = new ArrayList<>(resources.stream().map(Resource::toApi).toList());
        if (groupVersion.equals("apps/v1")) {
            listed.add(new APIResourceBuilder().withName("deployments/scale").withKind("Scale").withGroup("autoscaling")
                    .withVersion("v1").withNamespaced(true).withVerbs("get", "patch", "update").build());
        }
        return Optional.of(Serialization.asJson(new APIResourceListBuilder().withGroupVersion(groupVersion)
                .withResources(listed).build()));
    }

    private static List<APIGroup> groups() {
        List<APIGroup> groups = new ArrayList<>();
        GROUP_VERSIONS.keySet().stream().filter(groupVersion -> groupVersion.contains("/")).forEach(groupVersion -> {
            String group = groupVersion.substring(0, groupVersion.indexOf('/'));
            String version = groupVersion.substring(groupVersion.indexOf('/') + 1);
            var discovered = new GroupVersionForDiscoveryBuilder().withGroupVersion(groupVersion).withVersion(version)
                    .build();
            groups.add(new APIGroupBuilder().withName(group).withVersions(discovered).withPreferredVersion(discovered)
                    .build());
        });
        return groups;
    }

    private static String version() {
        return "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-meshpilot-sandbox\",\"gitCommit\":\"\","
                + "\"gitTreeState\":\"clean\",\"buildDate\":\"2026-01-01T00:00:00Z\",\"goVersion\":\"go1.23\","
                + "\"compiler\":\"gc\",\"platform\":\"linux/amd64\"}";
    }
}
