package io.meshpilot.embedded.kubernetes.faults;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One request to the API server as the fault proxy sees it: its method and what its path addresses, e.g. {@code PATCH}
 * of {@code services} {@code hello-world} in {@code default}. The static methods pick requests for faults and counts.
 */
public record ApiRequest(String method, String resource, String namespace, String name, boolean watch) {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    /** Reads {@code /api/v1/...} and {@code /apis/<group>/<version>/...}; other paths (e.g. /readyz) name no resource. */
    static ApiRequest of(String method, String path, String query) {
        boolean watch = query != null && Arrays.asList(query.split("&")).contains("watch=true");
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        int first = !segments.isEmpty() && segments.get(0).equals("api") ? 2
                : !segments.isEmpty() && segments.get(0).equals("apis") ? 3 : -1;
        if (first < 0 || segments.size() <= first) {
            return new ApiRequest(method, "", "", "", watch);
        }
        List<String> rest = segments.subList(first, segments.size());
        String namespace = "";
        if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        return new ApiRequest(method, rest.get(0), namespace, rest.size() > 1 ? rest.get(1) : "", watch);
    }

    /** POST, PUT, PATCH and DELETE of a kind of resource by its plural name, e.g. {@code services}. */
    public static Predicate<ApiRequest> writesTo(String resource) {
        return request -> WRITES.contains(request.method()) && request.resource().equals(resource);
    }

    /** PATCHes of one object, e.g. {@code services}, {@code hello-world}. */
    public static Predicate<ApiRequest> patchesOf(String resource, String name) {
        return request -> request.method().equals("PATCH") && request.resource().equals(resource)
                && request.name().equals(name);
    }

    /** Creations (POST) of a kind of resource, e.g. {@code events}. */
    public static Predicate<ApiRequest> creationsOf(String resource) {
        return request -> request.method().equals("POST") && request.resource().equals(resource);
    }

    /** GETs (single objects and lists, not watches) of a kind of resource. */
    public static Predicate<ApiRequest> readsOf(String resource) {
        return request -> request.method().equals("GET") && !request.watch() && request.resource().equals(resource);
    }

    /** Watches of a kind of resource. */
    public static Predicate<ApiRequest> watchesOf(String resource) {
        return request -> request.method().equals("GET") && request.watch() && request.resource().equals(resource);
    }
}
