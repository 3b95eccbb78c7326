package io.meshpilot.embedded.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka KRaft broker (broker and controller in one node) running in this JVM on
 * 127.0.0.1, with a temporary log directory that {@link #close()} deletes.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(Map.of())) {
 *     String bootstrap = kafka.bootstrapServers();
 *     kafka.restart(); // same port, same log directory, same data
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int BIND_ATTEMPTS = 5;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, String> overrides;
    private final List<Listener> listeners;
    private final Map<String, Integer> listenerPorts = new LinkedHashMap<>();
    private final String clusterId = Uuid.randomUuid().toString();
    private final Path logDir;
    private int brokerPort;
    private int controllerPort;
    private KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafkaBroker(Map<String, String> overrides, List<Listener> listeners) throws IOException {
        this.overrides = Map.copyOf(overrides);
        this.listeners = List.copyOf(listeners);
        this.logDir = Files.createTempDirectory("meshpilot-kafka-");
    }

    /**
     * Formats a fresh log directory and starts a broker on free loopback ports; returns once it answers requests.
     *
     * @param overrides broker properties that extend or replace the defaults (listeners, ports, the log directory and
     *                  the quorum are always managed here)
     */
    public static EmbeddedKafkaBroker start(Map<String, String> overrides) {
        return start(overrides, List.of());
    }

    /**
     * As {@link #start(Map)}, with more client listeners: its PLAINTEXT listener stays, and clients there are
     * {@code User:ANONYMOUS} (make it a super user when an authorizer is configured).
     */
    public static EmbeddedKafkaBroker start(Map<String, String> overrides, List<Listener> listeners) {
        ExitGuard.install();
        EmbeddedKafkaBroker broker;
        try {
            broker = new EmbeddedKafkaBroker(overrides, listeners);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's log directory", e);
        }
        try {
            broker.format();
            broker.startOnFreePorts();
            return broker;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** {@code 127.0.0.1:<port>} of the client listener; the same across {@link #restart()}. */
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    /** {@code 127.0.0.1:<port>} of a listener given at start, as advertised to its clients. */
    public String bootstrapServers(String listenerName) {
        Listener listener = listeners.stream().filter(candidate -> candidate.name().equals(listenerName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no listener " + listenerName));
        return HOST + ":" + listener.advertisedPort().orElse(listenerPorts.get(listenerName));
    }

    /** The port a listener given at start is bound to (the same across restarts). */
    public int boundPort(String listenerName) {
        return listenerPorts.get(listenerName);
    }

    public String clusterId() {
        return clusterId;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Shuts the broker down, keeping its port and data for {@link #resume()}. */
    public synchronized void stop() {
        KafkaRaftServer running = server;
        server = null;
        if (running != null) {
            running.shutdown();
            running.awaitShutdown();
        }
    }

    /** Starts a stopped broker again on the same port with the same data. */
    public synchronized void resume() {
        if (closed) {
            throw new IllegalStateException("the broker is closed");
        }
        if (server == null) {
            startServer();
        }
    }

    /** {@link #stop()} then {@link #resume()}: clients keep their bootstrap address and see the same data. */
    public synchronized void restart() {
        stop();
        resume();
    }

    /** Stops the broker and deletes its log directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            try {
                Utils.delete(logDir.toFile());
            } catch (IOException e) {
                LOG.warn("cannot delete the broker's log directory {}: {}", logDir, e.toString());
            }
        }
    }

    private void startOnFreePorts() {
        for (int attempt = 1; ; attempt++) {
            brokerPort = freePort();
            do {
                controllerPort = freePort();
            } while (controllerPort == brokerPort);
            listenerPorts.clear();
            for (Listener listener : listeners) {
                listenerPorts.put(listener.name(), freePort());
            }
            try {
                startServer();
                return;
            } catch (RuntimeException e) {
                if (attempt >= BIND_ATTEMPTS || !isBindFailure(e)) {
                    throw e;
                }
                LOG.debug("port taken between probe and bind, trying others (attempt {})", attempt);
            }
        }
    }

    private void startServer() {
        KafkaRaftServer starting = new KafkaRaftServer(new KafkaConfig(properties(), false), Time.SYSTEM);
        try {
            starting.startup();
            awaitReady();
        } catch (RuntimeException | Error e) {
            try {
                starting.shutdown();
                starting.awaitShutdown();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        server = starting;
    }

    private Map<String, String> properties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("transaction.state.log.num.partitions", "1");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("share.coordinator.state.topic.num.partitions", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.put("auto.create.topics.enable", "false");
        properties.put("num.partitions", "1");
        properties.put("default.replication.factor", "1");
        properties.put("min.insync.replicas", "1");
        properties.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        properties.putAll(overrides);
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", String.valueOf(NODE_ID));
        properties.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        properties.put("controller.listener.names", CONTROLLER_LISTENER);
        StringBuilder bound = new StringBuilder(BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        StringBuilder advertised = new StringBuilder(BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        StringBuilder protocols = new StringBuilder(BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER
                + ":PLAINTEXT");
        for (Listener listener : listeners) {
            int port = listenerPorts.get(listener.name());
            bound.append(',').append(listener.name()).append("://").append(HOST).append(':').append(port);
            advertised.append(',').append(listener.name()).append("://").append(HOST).append(':')
                    .append(listener.advertisedPort().orElse(port));
            protocols.append(',').append(listener.name()).append(':').append(listener.securityProtocol());
            properties.putAll(listener.settings());
        }
        properties.put("listeners", bound.toString());
        properties.put("advertised.listeners", advertised.toString());
        properties.put("listener.security.protocol.map", protocols.toString());
        properties.put("inter.broker.listener.name", BROKER_LISTENER);
        properties.put("log.dirs", logDir.toString());
        return properties;
    }

    /** What {@code kafka-storage.sh format} does, without its argument parsing and its {@code Exit.exit}. */
    private void format() {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setWriteBootstrapSnapshot(true)
                    .setHasDynamicQuorum(false)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the log directory " + logDir, e);
        }
    }

    /** {@code startup()} returns once the broker is unfenced; one metadata round trip confirms it serves clients. */
    private void awaitReady() {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            List<Integer> nodes = admin.describeCluster().nodes()
                    .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream().map(Node::id).toList();
            if (!nodes.contains(NODE_ID)) {
                throw new IllegalStateException("the broker started but the cluster lists nodes " + nodes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not answer within " + READY_TIMEOUT, e);
        }
    }

    private static boolean isBindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }
}
