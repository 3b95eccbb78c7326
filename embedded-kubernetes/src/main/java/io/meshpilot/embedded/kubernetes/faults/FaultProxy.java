package io.meshpilot.embedded.kubernetes.faults;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.meshpilot.embedded.kubernetes.RegionApiServer;
import io.meshpilot.embedded.kubernetes.real.RealApiServer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A fault-injecting HTTP proxy on loopback in front of a real kube-apiserver, for the faults a real server cannot be
 * asked for: "the next 3 PATCHes of services/hello-world answer 500", "answer creations of Events 2 s late", "503 to
 * every read of leases until cleared". Everything else passes through untouched, watches included (the API server's
 * chunked stream is relayed as it comes). It counts the API server's own answers, so a test can show a real 409.
 *
 * <p>To pick requests the proxy must read them, so it terminates TLS. It listens twice on 127.0.0.1: plain HTTP for
 * fabric8 clients ({@link #clientConfig()}: the agents under test, so the proxy adds no TLS handshake of its own to
 * theirs in the same JVM), and HTTPS with the API server's own self-signed certificate and key for kubectl
 * ({@link #kubeconfig()}, which differs from the API server's only in its port): kubectl sends no bearer token over
 * plain HTTP (the API server then answers 403 to an anonymous user). The proxy speaks TLS to the API server,
 * verifying it with that CA, and passes bearer tokens through, so the API server still authenticates and authorizes
 * every request as the client's user. It relays no WebSocket upgrades (it drops the Upgrade header, and the API
 * server answers with an ordinary watch stream); its client configuration asks fabric8 for HTTP watches, as kubectl's
 * are.
 */
public final class FaultProxy implements RegionApiServer {

    /** For {@link #inject}: the fault stays until {@link #clear()}. */
    public static final int UNTIL_CLEARED = Integer.MAX_VALUE;

    /** Hop-by-hop headers (RFC 9110 7.6.1) and Host: each leg sets its own; Upgrade is dropped, see the class. */
    private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");
    private static final Map<Integer, String> REASONS = Map.of(409, "Conflict", 429, "TooManyRequests",
            500, "InternalError", 503, "ServiceUnavailable", 504, "Timeout");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    /** A fault for the requests a predicate picks, the next {@code remaining} times. */
    private record Rule(Predicate<ApiRequest> requests, Fault fault, AtomicInteger remaining) {

        boolean take(ApiRequest request) {
            return requests.test(request) && remaining.getAndUpdate(n -> n == UNTIL_CLEARED || n == 0 ? n : n - 1) > 0;
        }
    }

    /** An answer of the API server itself. */
    private record Answer(ApiRequest request, int status) {
    }

    private final String name;
    private final Config upstream;
    private final Vertx vertx;
    private final HttpClient client;
    private final HttpServer server;
    private final HttpServer tlsServer;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger injected = new AtomicInteger();

    private FaultProxy(String name, Config upstream, PemKeyCertOptions identity) {
        this.name = name;
        this.upstream = upstream;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        URI target = URI.create(upstream.getMasterUrl());
        String ca = new String(Base64.getDecoder().decode(upstream.getCaCertData()), StandardCharsets.US_ASCII);
        this.client = vertx.createHttpClient(new HttpClientOptions().setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca)))
                .setDefaultHost(target.getHost()).setDefaultPort(target.getPort())
                .setConnectTimeout(5_000),
                // each watch holds a connection for as long as it runs
                new PoolOptions().setHttp1MaxSize(64));
        this.server = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(this::handle).listen(), "the fault proxy to listen");
        this.tlsServer = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setSsl(true).setKeyCertOptions(identity)).requestHandler(this::handle).listen(),
                "the fault proxy to listen with TLS");
    }

    /** Starts a proxy on a free loopback port in front of the region's API server; its clients are the admin. */
    public static FaultProxy inFrontOf(RealApiServer upstream) {
        return inFrontOf(upstream, upstream.clientConfig());
    }

    /**
     * Starts a proxy in front of the region's API server whose {@link #clientConfig()} is {@code client}'s (its user,
     * e.g. an agent's ServiceAccount token, and its timeouts) with the proxy's address.
     */
    public static FaultProxy inFrontOf(RealApiServer upstream, Config client) {
        return new FaultProxy(upstream.name(), client, new PemKeyCertOptions()
                .setCertPath(upstream.servingCertificate().toString()).setKeyPath(upstream.servingKey().toString()));
    }

    /** The next {@code times} requests picked ({@link #UNTIL_CLEARED} for all until cleared) get the fault. */
    public FaultProxy inject(Predicate<ApiRequest> requests, Fault fault, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("a fault must apply at least once, got " + times);
        }
        rules.add(new Rule(requests, fault, new AtomicInteger(times)));
        return this;
    }

    /** The next {@code times} requests picked are answered with {@code status} by the proxy. */
    public FaultProxy fail(Predicate<ApiRequest> requests, int status, int times) {
        return inject(requests, Fault.status(status), times);
    }

    /** The API server's answers to the next {@code times} requests picked are held back for {@code delay}. */
    public FaultProxy slow(Predicate<ApiRequest> requests, Duration delay, int times) {
        return inject(requests, Fault.delay(delay), times);
    }

    /** Removes every fault not used up; requests pass through again. */
    public void clear() {
        rules.clear();
    }

    /** How many requests got a fault so far. */
    public int injected() {
        return injected.get();
    }

    /** How many of the requests picked the API server itself answered with {@code status} (injected ones not). */
    public long answered(Predicate<ApiRequest> requests, int status) {
        return answers.stream().filter(a -> a.status() == status && requests.test(a.request())).count();
    }

    private void handle(HttpServerRequest request) {
        ApiRequest api = ApiRequest.of(request.method().name(), request.path(), request.query());
        Optional<Fault> fault = rules.stream().filter(rule -> rule.take(api)).findFirst().map(Rule::fault);
        fault.ifPresent(f -> injected.incrementAndGet());
        if (fault.isPresent() && fault.get().answersItself()) {
            request.body().onComplete(body -> answerStatus(request.response(), fault.get().status()));
        } else {
            forward(request, api, fault.map(Fault::delay).orElse(Duration.ZERO));
        }
    }

    private void forward(HttpServerRequest request, ApiRequest api, Duration delay) {
        request.pause();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        copy(request.headers(), headers);
        RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(request.uri())
                .setHeaders(headers);
        HttpServerResponse response = request.response();
        client.request(options).compose(out -> {
            response.closeHandler(closed -> out.reset());
            return out.send(request);
        }).onSuccess(in -> {
            in.pause();
            // the client gave up (e.g. its timeout during a delay) and the request was reset: nothing to relay
            in.exceptionHandler(reset -> { });
            answers.add(new Answer(api, in.statusCode()));
            response.setStatusCode(in.statusCode()).setStatusMessage(in.statusMessage());
            copy(in.headers(), response.headers());
            if (!in.headers().contains(HttpHeaders.CONTENT_LENGTH) && hasBody(request.method(), in)) {
                response.setChunked(true);
            }
            if (delay.isZero()) {
                in.pipeTo(response);
            } else {
                vertx.setTimer(delay.toMillis(), timer -> in.pipeTo(response));
            }
        }).onFailure(failure -> {
            if (!response.headWritten()) {
                answerStatus(response, 502);
            } else {
                response.reset();
            }
        });
    }

    private static boolean hasBody(HttpMethod method, HttpClientResponse response) {
        return method != HttpMethod.HEAD && response.statusCode() != 204 && response.statusCode() != 304;
    }

    private static void copy(MultiMap from, MultiMap to) {
        from.forEach(header -> {
            if (!NOT_RELAYED.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
                to.add(header.getKey(), header.getValue());
            }
        });
    }

    private static void answerStatus(HttpServerResponse response, int status) {
        String reason = REASONS.getOrDefault(status, "");
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                        + "\"message\":\"injected by the fault proxy\",\"reason\":\"" + reason + "\",\"code\":"
                        + status + "}");
    }

    @Override
    public String name() {
        return name;
    }

    /** The plain-HTTP address, for fabric8 clients. */
    @Override
    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** The HTTPS address, with the API server's certificate, for kubectl. */
    public String tlsUrl() {
        return "https://127.0.0.1:" + tlsServer.actualPort();
    }

    /** The upstream configuration (its user, timeouts) with the proxy's plain-HTTP address. */
    @Override
    public Config clientConfig() {
        return new ConfigBuilder(upstream).withMasterUrl(url()).withCaCertData(null).withOnlyHttpWatches(true)
                .build();
    }

    /** The upstream configuration's user, through the proxy's HTTPS address. */
    @Override
    public String kubeconfig() {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                    certificate-authority-data: %3$s
                users:
                - name: %1$s-user
                  user:
                    token: %4$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s-user
                    namespace: default
                current-context: %1$s
                """.formatted(name, tlsUrl(), upstream.getCaCertData(), upstream.getOauthToken());
    }

    /** Stops the proxy; the API server behind it keeps running. */
    @Override
    public void close() {
        await(vertx.close(), "the fault proxy to stop");
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("timed out or failed waiting for " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + what, e);
        }
    }
}
