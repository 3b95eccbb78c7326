package io.meshpilot.embedded.kubernetes.real;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meshpilot.embedded.kubernetes.RegionApiServer;
import io.meshpilot.embedded.kubernetes.real.RegionCredentials.TokenUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane for one region, on loopback: etcd, kube-apiserver (RBAC, token authentication,
 * service-account tokens), kube-controller-manager (Deployments, ReplicaSets, EndpointSlices, ...), kube-scheduler,
 * and KWOK playing the kubelet of one node, so scheduled pods become Running and Ready with an address from the
 * region's range {@code 10.<index>.0.0/16}. Each component is a child process logging into the region's directory.
 */
public final class RealApiServer implements RegionApiServer {

    /** The KWOK node's annotation; KWOK manages only nodes carrying it. */
    public static final String KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";
    private static final Logger LOG = LoggerFactory.getLogger(RealApiServer.class);

    private final String name;
    private final int index;
    private final KubeBinaries binaries;
    private final Path dir;
    private final RegionCredentials credentials;
    private final int etcdPort;
    private final int apiPort;
    private final Deque<ChildProcess> components = new ArrayDeque<>();
    private ChildProcess etcd;
    private ChildProcess apiServer;
    private String caData;

    private RealApiServer(String name, int index, KubeBinaries binaries, Path dir) {
        this.name = name;
        this.index = index;
        this.binaries = binaries;
        this.dir = dir;
        this.credentials = RegionCredentials.create(dir);
        this.etcdPort = freePort();
        this.apiPort = freePort();
    }

    /**
     * Starts a region's control plane in {@code dir} and returns once its API server is ready, its node is Ready and
     * the {@code default} ServiceAccount exists (so pods can be created).
     */
    public static RealApiServer start(String name, int index, KubeBinaries binaries, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        RealApiServer server = new RealApiServer(name, index, binaries, dir);
        try {
            server.startAll();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void startAll() {
        long started = System.nanoTime();
        startEtcd();
        startApiServer();
        writeComponentKubeconfig("kube-controller-manager", RegionCredentials.CONTROLLER_MANAGER);
        writeComponentKubeconfig("kube-scheduler", RegionCredentials.SCHEDULER);
        writeComponentKubeconfig("kwok", RegionCredentials.KWOK);
        components.push(start("kube-controller-manager", List.of(
                "--kubeconfig=" + dir.resolve("kube-controller-manager.kubeconfig"),
                "--controllers=deployment-controller,replicaset-controller,endpointslice-controller,"
                        + "endpoints-controller,serviceaccount-controller,garbage-collector-controller,"
                        + "namespace-controller",
                "--leader-elect=false", "--secure-port=0", "--use-service-account-credentials=false",
                "--concurrent-deployment-syncs=2", "--concurrent-replicaset-syncs=2", "--v=1")));
        components.push(start("kube-scheduler", List.of(
                "--kubeconfig=" + dir.resolve("kube-scheduler.kubeconfig"),
                "--leader-elect=false", "--secure-port=0", "--v=1")));
        components.push(start("kwok", List.of(
                "--kubeconfig=" + dir.resolve("kwok.kubeconfig"),
                "--config=" + binaries.kwokStages(),
                "--manage-nodes-with-annotation-selector=" + KWOK_NODE_ANNOTATION + "=fake",
                "--cidr=10." + index + ".0.0/16", "--node-ip=127.0.0.1", "--v=1")));
        try (KubernetesClient client = newClient()) {
            client.nodes().resource(new NodeBuilder()
                    .withNewMetadata().withName(name + "-node-0").addToAnnotations(KWOK_NODE_ANNOTATION, "fake")
                    .addToLabels("type", "kwok").addToLabels("kubernetes.io/hostname", name + "-node-0").endMetadata()
                    .withNewStatus().withAllocatable(resources()).withCapacity(resources()).endStatus()
                    .build()).create();
            await("the KWOK node to be Ready", () -> client.nodes().withName(name + "-node-0").get().getStatus()
                    .getConditions().stream().anyMatch(c -> "Ready".equals(c.getType())
                            && "True".equals(c.getStatus())));
            // kube-apiserver taints a new node not-ready; without kubelets or a node-lifecycle controller nothing
            // lifts it, and pods would never be scheduled
            client.nodes().withName(name + "-node-0").edit(node -> {
                node.getSpec().setTaints(List.of());
                return node;
            });
            await("the default ServiceAccount", () -> client.serviceAccounts().inNamespace("default")
                    .withName("default").get() != null);
        }
        LOG.atInfo().addKeyValue("region", name).addKeyValue("url", url())
                .addKeyValue("seconds", String.format("%.1f", (System.nanoTime() - started) / 1e9))
                .log("real Kubernetes region started");
    }

    private static Map<String, Quantity> resources() {
        return Map.of("cpu", new Quantity("64"), "memory", new Quantity("256Gi"), "pods", new Quantity("500"));
    }

    private void startEtcd() {
        int peerPort = freePort();
        String client = "http://127.0.0.1:" + etcdPort;
        String peer = "http://127.0.0.1:" + peerPort;
        etcd = (start("etcd", List.of("--name=" + name, "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=" + client, "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=" + name + "=" + peer, "--listen-metrics-urls=",
                // a sandbox's data is thrown away with it: fsync would only cost time
                "--unsafe-no-fsync=true", "--log-level=warn")));
    }

    private void startApiServer() {
        apiServer = start("kube-apiserver", List.of(
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + apiPort,
                "--cert-dir=" + dir.resolve("certs"),
                "--authorization-mode=RBAC", "--token-auth-file=" + credentials.tokenFile(),
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + credentials.serviceAccountKey(),
                "--service-account-signing-key-file=" + credentials.serviceAccountKey(),
                "--service-cluster-ip-range=10.96.0.0/16",
                // the loopback address it advertises is no valid endpoint of the kubernetes Service
                "--endpoint-reconciler-type=none",
                "--enable-priority-and-fairness=false", "--profiling=false", "--v=1"));
        // kube-apiserver writes its self-signed certificate (and its CA) into --cert-dir before it serves; read it once
        // it answers, so it is complete
        HttpClient http = HttpClient.newBuilder().sslContext(trustingAnything())
                .connectTimeout(Duration.ofSeconds(2)).build();
        await("kube-apiserver to be ready", () -> readyz(http));
        Path certificate = servingCertificate();
        caData = Base64.getEncoder().encodeToString(KubeBinaries.read(certificate).getBytes(StandardCharsets.UTF_8));
    }

    private boolean apiServerDied() {
        if (!apiServer.isAlive()) {
            throw new IllegalStateException("kube-apiserver of " + name + " exited; see " + apiServer.log());
        }
        return false;
    }

    private boolean readyz(HttpClient http) {
        apiServerDied();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                    .header("Authorization", "Bearer " + credentials.token(RegionCredentials.ADMIN))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting kube-apiserver", e);
        }
    }

    /** Stops kube-apiserver and starts it again on the same port and etcd: every watch breaks, no data is lost. */
    public synchronized void restartApiServer() {
        apiServer.close();
        startApiServer();
    }

    private ChildProcess start(String command, List<String> arguments) {
        List<String> full = new java.util.ArrayList<>();
        full.add(binaries.command(command).toString());
        full.addAll(arguments);
        return ChildProcess.start(command + "-" + name, full, dir.resolve(command + ".log"));
    }

    private void writeComponentKubeconfig(String component, TokenUser user) {
        try {
            Files.writeString(dir.resolve(component + ".kubeconfig"), kubeconfig(credentials.token(user),
                    user.user()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + component + "'s kubeconfig", e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String url() {
        return "https://127.0.0.1:" + apiPort;
    }

    /** kube-apiserver's self-signed serving certificate (PEM), which the kubeconfigs also name as the CA. */
    public Path servingCertificate() {
        return dir.resolve("certs").resolve("apiserver.crt");
    }

    /** The key of {@link #servingCertificate()} (PEM), e.g. for a proxy on loopback that serves as this server. */
    public Path servingKey() {
        return dir.resolve("certs").resolve("apiserver.key");
    }

    /** Where the components' logs, etcd's data and the credentials live. */
    public Path directory() {
        return dir;
    }

    @Override
    public Config clientConfig() {
        return clientConfig(credentials.token(RegionCredentials.ADMIN));
    }

    /** A client configuration authenticating with a bearer token, e.g. a ServiceAccount's. */
    public Config clientConfig(String token) {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withCaCertData(caData)
                .withNamespace("default")
                .withOauthToken(token)
                .withRequestTimeout(10_000)
                .withConnectionTimeout(5_000)
                .build();
    }

    /** A new client authenticating with a bearer token; the caller closes it. */
    public KubernetesClient newClient(String token) {
        return new KubernetesClientBuilder().withConfig(clientConfig(token)).build();
    }

    @Override
    public String kubeconfig() {
        return kubeconfig(credentials.token(RegionCredentials.ADMIN), name + "-admin");
    }

    /** A kubeconfig document for a user authenticating with a bearer token. */
    public String kubeconfig(String token, String user) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                    certificate-authority-data: %3$s
                users:
                - name: %4$s
                  user:
                    token: %5$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %4$s
                    namespace: default
                current-context: %1$s
                """.formatted(name, url(), caData, user, token);
    }

    /** Whether every component still runs. */
    public synchronized boolean isRunning() {
        return etcd != null && etcd.isAlive() && apiServer != null && apiServer.isAlive()
                && components.stream().allMatch(ChildProcess::isAlive);
    }

    @Override
    public synchronized void close() {
        while (!components.isEmpty()) {
            components.pop().close();
        }
        if (apiServer != null) {
            apiServer.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    /** For the readiness probe only, before the certificate can be read: the server is our own child on loopback. */
    private static SSLContext trustingAnything() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no TLS", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Poll.until(what, condition);
    }
}
