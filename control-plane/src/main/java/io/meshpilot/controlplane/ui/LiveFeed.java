package io.meshpilot.controlplane.ui;

import io.meshpilot.controlplane.api.ServiceView;
import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.world.RegionLiveness;
import io.meshpilot.controlplane.world.RegionRecords;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.schemas.ServiceKey;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The live view's Server-Sent Events stream: every {@value #FLUSH_MILLIS} ms, the summaries of the Services whose
 * records changed ({@code services}), or {@code resync} when too many changed to send one by one; every Decision
 * read back from the decisions topic ({@code decision}), the last {@value #KEPT_DECISIONS} of them (fewer when they
 * would hold more than {@value #KEPT_DECISION_CHARS} characters) to each client that connects. Confined to the
 * control plane's event loop; each client's writes go through its own HTTP context. A client that cannot keep up
 * is disconnected (see {@link Client}).
 */
final class LiveFeed {

    static final long FLUSH_MILLIS = 200;
    static final int MAX_SUMMARIES = 500;
    static final int KEPT_DECISIONS = 100;
    /**
     * A Decision of 255 regions is some 300 KB of text: a hundred of them would hold 30 MB (600 B of every
     * Service-region's heap at 200 Services) and send it all to each browser that connects.
     */
    static final int KEPT_DECISION_CHARS = 1 << 20;
    private static final long PING_EVERY_FLUSHES = 15_000 / FLUSH_MILLIS;

    private final WorldModel world;
    private final RegionLiveness liveness;
    private final PolicyBook policies;
    private final Clock clock;
    private final Set<ServiceKey> changed = new TreeSet<>();
    private final Set<Client> clients = new HashSet<>();
    /** The last decisions' frames: text, not JSON trees (a Decision of 255 regions is a tree of hundreds of maps). */
    private final Deque<String> decisions = new ArrayDeque<>();
    private long keptChars;
    private long flushes;

    LiveFeed(WorldModel world, RegionLiveness liveness, PolicyBook policies, Clock clock) {
        this.world = world;
        this.liveness = liveness;
        this.policies = policies;
        this.clock = clock;
    }

    void changed(ServiceKey service) {
        if (!clients.isEmpty()) {
            changed.add(service);
        }
    }

    /** A Decision record read back, as compact JSON text. */
    void decision(String decision) {
        String frame = frame("decision", decision);
        decisions.addLast(frame);
        keptChars += frame.length();
        while (decisions.size() > KEPT_DECISIONS || keptChars > KEPT_DECISION_CHARS && decisions.size() > 1) {
            keptChars -= decisions.removeFirst().length();
        }
        if (!clients.isEmpty()) {
            broadcast(frame);
        }
    }

    void connect(HttpServerResponse response, Context http) {
        Client client = new Client(response, http, clock);
        clients.add(client);
        StringBuilder hello = new StringBuilder("retry: 1000\n\n").append(frame("hello", new JsonObject()
                .put("at", clock.instant().toString())));
        decisions.forEach(hello::append);
        client.send(hello.toString());
    }

    void disconnect(HttpServerResponse response) {
        clients.removeIf(client -> client.response == response);
    }

    int decisionsKept() {
        return decisions.size();
    }

    int clients() {
        return clients.size();
    }

    void flush() {
        flushes++;
        if (changed.isEmpty()) {
            if (flushes % PING_EVERY_FLUSHES == 0) {
                broadcast(": ping\n\n");
            }
            return;
        }
        if (changed.size() > MAX_SUMMARIES) {
            changed.clear();
            broadcast(frame("resync", new JsonObject().put("reason", "more than " + MAX_SUMMARIES + " changes")));
            return;
        }
        Instant now = clock.instant();
        JsonArray items = new JsonArray();
        JsonArray removed = new JsonArray();
        for (ServiceKey service : changed) {
            Map<String, RegionRecords> records = world.service(service);
            if (records.isEmpty()) {
                removed.add(service.toString());
            } else {
                items.add(ServiceView.summary(service, records, liveness, policies.resolve(service), now));
            }
        }
        changed.clear();
        broadcast(frame("services", new JsonObject().put("items", items).put("removed", removed)));
    }

    private void broadcast(String frame) {
        clients.removeIf(client -> !client.send(frame));
    }

    private static String frame(String event, JsonObject data) {
        return frame(event, data.encode());
    }

    private static String frame(String event, String json) {
        return "event: " + event + "\ndata: " + json + "\n\n";
    }

    /**
     * One browser's stream. Sends on its connection's context; false once it is closed. A client whose connection
     * stays full for {@link #BEHIND_LIMIT_MILLIS} is ended (its browser reconnects and reloads what it shows).
     */
    private static final class Client {

        static final long BEHIND_LIMIT_MILLIS = 10_000;

        private final HttpServerResponse response;
        private final Context http;
        private final Clock clock;
        private long behindSince;

        Client(HttpServerResponse response, Context http, Clock clock) {
            this.response = response;
            this.http = http;
            this.clock = clock;
        }

        boolean send(String frame) {
            if (response.closed()) {
                return false;
            }
            http.runOnContext(ignored -> write(frame));
            return true;
        }

        private void write(String frame) {
            if (response.closed()) {
                return;
            }
            if (!response.writeQueueFull()) {
                behindSince = 0;
            } else if (behindSince == 0) {
                behindSince = clock.millis();
                response.drainHandler(drained -> behindSince = 0);
            } else if (clock.millis() - behindSince > BEHIND_LIMIT_MILLIS) {
                response.end();
                return;
            }
            response.write(frame);
        }
    }
}
