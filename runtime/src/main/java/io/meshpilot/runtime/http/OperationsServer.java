package io.meshpilot.runtime.http;

import io.meshpilot.runtime.Await;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The operations endpoints of a component on Vert.x Web: {@code GET /healthz} (the event loop answers and no fatal
 * check fails; otherwise 503 with the problems),
 * {@code GET /readyz} (every readiness check passes; otherwise 503 with the problems) and {@code GET /metrics}
 * (the Prometheus client's scrape handler: Prometheus text, OpenMetrics or protobuf as the scraper's {@code Accept}
 * asks, gzip when it accepts it, {@code name[]} filters). A component adds its own routes, such as the control plane's API. Binds to the given
 * host and port (0 picks a free one).
 */
public final class OperationsServer implements AutoCloseable {

    private final HttpServer server;

    private OperationsServer(HttpServer server) {
        this.server = server;
    }

    public static OperationsServer start(Vertx vertx, String host, int port, PrometheusRegistry registry,
            Readiness readiness, Consumer<Router> routes) {
        Router router = Router.router(vertx);
        router.get("/healthz").handler(context -> alive(context, readiness.fatalProblems()));
        router.get("/readyz").handler(context -> ready(context, readiness.problems()));
        PrometheusScrapeHandler scrape = new PrometheusScrapeHandler(registry);
        router.get("/metrics").handler(context -> metrics(context, scrape));
        routes.accept(router);
        router.route().last().handler(context -> json(context, 404,
                new JsonObject().put("message", "no such endpoint: " + context.request().path())));
        HttpServer server = Await.result(vertx.createHttpServer().requestHandler(router).listen(port, host)
                .toCompletionStage(), Duration.ofSeconds(30), "the HTTP server to listen on " + host + ":" + port);
        return new OperationsServer(server);
    }

    public int port() {
        return server.actualPort();
    }

    private static void alive(RoutingContext context, List<String> problems) {
        if (problems.isEmpty()) {
            json(context, 200, new JsonObject().put("status", "ok"));
        } else {
            json(context, 503, new JsonObject().put("status", "failed").put("problems", new JsonArray(problems)));
        }
    }

    private static void ready(RoutingContext context, List<String> problems) {
        if (problems.isEmpty()) {
            json(context, 200, new JsonObject().put("status", "ready"));
        } else {
            json(context, 503, new JsonObject().put("status", "not ready").put("problems", new JsonArray(problems)));
        }
    }

    private static void metrics(RoutingContext context, PrometheusScrapeHandler scrape) {
        try {
            scrape.handleRequest(new ScrapeExchange(context));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends a request with a JSON body; the components' own routes answer the same way. */
    public static void json(RoutingContext context, int status, Object body) {
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(body instanceof JsonObject object ? object.encode() : ((JsonArray) body).encode());
    }

    @Override
    public void close() {
        Await.result(server.close().toCompletionStage(), Duration.ofSeconds(10), "the HTTP server to close");
    }
}
