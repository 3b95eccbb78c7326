package io.meshpilot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** The control plane's HTTP API as the command line reads it; every failure is one line naming the URL. */
final class ControlPlaneApi {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:MESHPILOT_URL:-http://127.0.0.1:8080}",
            description = "The control plane's HTTP address (env MESHPILOT_URL; default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--request-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:MESHPILOT_REQUEST_TIMEOUT:-10s}",
            description = "How long to wait for the control plane's answer (env MESHPILOT_REQUEST_TIMEOUT; "
                    + "default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    /** GET of an API path with query parameters (null values left out); the JSON body of a 200 answer. */
    JsonNode get(String path, Map<String, String> query) throws InterruptedException {
        String parameters = query.entrySet().stream().filter(entry -> entry.getValue() != null)
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI uri = uri(path + (parameters.isEmpty() ? "" : "?" + parameters));
        return send(uri, HttpRequest.newBuilder(uri).GET());
    }

    /**
     * POST of a JSON document to an API path; the JSON body of a 200 answer. A 400 is the request's fault: an
     * {@link IllegalArgumentException} with the control plane's message (a usage error).
     */
    JsonNode post(String path, JsonNode document) throws InterruptedException {
        URI uri = uri(path);
        JsonNode body;
        try {
            body = send(uri, HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(OutputOption.JSON.writeValueAsString(document))));
        } catch (Rejected e) {
            throw new IllegalArgumentException(e.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the request: " + e.getMessage(), e);
        }
        return body;
    }

    private JsonNode send(URI uri, HttpRequest.Builder request) throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                    .build().send(request.timeout(requestTimeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new IllegalStateException("no answer from the control plane at " + uri + " within "
                    + requestTimeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the control plane at " + uri + ": "
                    + Failures.describe(e));
        }
        JsonNode body = parse(response.body());
        String message = body.hasNonNull("message") ? ": " + body.get("message").asText() : "";
        if (response.statusCode() == 400) {
            throw new Rejected("the control plane at " + uri + " answered 400" + message);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the control plane at " + uri + " answered " + response.statusCode()
                    + message);
        }
        return body;
    }

    /** A 400: the request's fault. */
    private static final class Rejected extends IllegalStateException {
        Rejected(String message) {
            super(message);
        }
    }

    private URI uri(String path) {
        try {
            URI uri = URI.create(url.replaceAll("/+$", "") + path);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url '" + url + "' is not an http(s)://HOST[:PORT] address");
        }
    }

    private static JsonNode parse(String body) {
        try {
            return OutputOption.JSON.readTree(body);
        } catch (IOException e) {
            return OutputOption.JSON.createObjectNode();
        }
    }
}
