package io.meshpilot.embedded.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;

/**
 * A Kubernetes API server for one sandbox region: fabric8's mock server in CRUD mode, listening on 127.0.0.1 on a
 * free port. It stores what clients create, answers lists and watches (label selectors included), and rejects an
 * update carrying a stale resourceVersion with 409, so informers, patches and leases behave as on a real cluster.
 */
public final class EmbeddedApiServer implements RegionApiServer {

    /** The mock server logs every request at INFO through java.util.logging; the reference keeps the level set. */
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    private final String name;
    private final KubernetesMockServer server;

    private EmbeddedApiServer(String name, KubernetesMockServer server) {
        this.name = name;
        this.server = server;
    }

    /** Starts an empty API server named after its cluster (the name appears in its kubeconfig). */
    public static EmbeddedApiServer start(String name) {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new ConcurrentHashMap<>();
        RegionDispatcher dispatcher = new RegionDispatcher(new KubernetesMixedDispatcher(expectations));
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        dispatcher.serveDiscovery(new ApiDiscovery("127.0.0.1:" + server.getPort()));
        return new EmbeddedApiServer(name, server);
    }

    @Override
    public String name() {
        return name;
    }

    /** {@code http://127.0.0.1:<port>}. */
    @Override
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** What a client needs to reach this server; it reads nothing from {@code ~/.kube} or the environment. */
    @Override
    public Config clientConfig() {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withNamespace("default")
                .withOauthToken("sandbox")
                .withRequestTimeout(10_000)
                .withConnectionTimeout(5_000)
                .build();
    }

    /** The kubeconfig document for this server: one cluster, one user with a token, one current context. */
    @Override
    public String kubeconfig() {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                users:
                - name: %1$s-admin
                  user:
                    token: sandbox
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s-admin
                    namespace: default
                current-context: %1$s
                """.formatted(name, url());
    }

    @Override
    public void close() {
        server.destroy();
    }
}
