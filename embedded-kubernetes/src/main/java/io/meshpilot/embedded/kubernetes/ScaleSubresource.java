package io.meshpilot.embedded.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code scale} subresource of Deployments, which {@code kubectl scale} uses and the CRUD store does not know:
 * reading it reads the Deployment's replicas, writing it patches them.
 */
final class ScaleSubresource {

    private static final Pattern SCALE =
            Pattern.compile("(/apis/apps/v1/namespaces/([^/]+)/deployments/([^/?]+))/scale(\\?.*)?");

    private ScaleSubresource() {
    }

    static Optional<MockResponse> handle(RecordedRequest request, Dispatcher store) {
        Matcher matcher = SCALE.matcher(request.getPath());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String deploymentPath = matcher.group(1);
        if (!"GET".equals(request.getMethod())) {
            Integer replicas = replicasOf(request.getUtf8Body());
            if (replicas == null) {
                return Optional.of(status(422, "a scale needs spec.replicas"));
            }
            MockResponse patched = store.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, deploymentPath,
                    Headers.builder().add("Content-Type", "application/merge-patch+json").build(),
                    new Buffer(("{\"spec\":{\"replicas\":" + replicas + "}}").getBytes(StandardCharsets.UTF_8))));
            if (patched.code() >= 300) {
                return Optional.of(patched);
            }
        }
        MockResponse current = store.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.GET, deploymentPath,
                Headers.builder().build(), new Buffer()));
        if (current.code() != 200) {
            return Optional.of(current);
        }
        Deployment deployment = Serialization.unmarshal(current.getBody().readUtf8(), Deployment.class);
        return Optional.of(new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(scale(deployment, matcher.group(2), matcher.group(3))));
    }

    @SuppressWarnings("unchecked")
    private static Integer replicasOf(String body) {
        Map<String, Object> scale = Serialization.unmarshal(body, Map.class);
        Object spec = scale == null ? null : scale.get("spec");
        Object replicas = spec instanceof Map<?, ?> map ? map.get("replicas") : null;
        return replicas instanceof Number number ? number.intValue() : null;
    }

    private static String scale(Deployment deployment, String namespace, String name) {
        int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        return "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"" + namespace + "\",\"resourceVersion\":\""
                + deployment.getMetadata().getResourceVersion() + "\"},\"spec\":{\"replicas\":" + replicas
                + "},\"status\":{\"replicas\":" + replicas + "}}";
    }

    private static MockResponse status(int code, String message) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + message
                        + "\",\"code\":" + code + "}");
    }
}
