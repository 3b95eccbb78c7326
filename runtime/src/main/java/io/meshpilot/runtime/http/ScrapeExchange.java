package io.meshpilot.runtime.http;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;

/**
 * A Vert.x Web request as the Prometheus client's scrape handler sees it. The handler writes the (possibly gzipped)
 * page into a buffer, which is sent when it closes the exchange; a scrape is an in-memory snapshot, so nothing here
 * blocks the event loop.
 */
final class ScrapeExchange implements PrometheusHttpExchange, PrometheusHttpRequest, PrometheusHttpResponse {

    private final RoutingContext context;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
    private int status = 200;

    ScrapeExchange(RoutingContext context) {
        this.context = context;
    }

    @Override
    public PrometheusHttpRequest getRequest() {
        return this;
    }

    @Override
    public PrometheusHttpResponse getResponse() {
        return this;
    }

    @Override
    public String getQueryString() {
        return context.request().query();
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return Collections.enumeration(context.request().headers().getAll(name));
    }

    @Override
    public String getMethod() {
        return context.request().method().name();
    }

    @Override
    public String getRequestPath() {
        return context.request().path();
    }

    @Override
    public void setHeader(String name, String value) {
        context.response().putHeader(name, value);
    }

    @Override
    public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
        status = statusCode;
        return body;
    }

    @Override
    public void handleException(IOException e) throws IOException {
        throw e;
    }

    @Override
    public void handleException(RuntimeException e) {
        throw e;
    }

    @Override
    public void close() {
        if (!context.response().ended()) {
            context.response().setStatusCode(status).end(Buffer.buffer(body.toByteArray()));
        }
    }
}
