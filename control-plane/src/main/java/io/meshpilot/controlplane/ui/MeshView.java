package io.meshpilot.controlplane.ui;

import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.world.RegionLiveness;
import io.meshpilot.controlplane.world.RegionStates;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.kafka.RecordPoller;
import io.meshpilot.runtime.http.OperationsServer;
import io.meshpilot.schemas.ServiceKey;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The read-only live view under {@code /ui/} (SPEC §7): a static page from the jar that reads the HTTP API, plus
 * {@code GET /ui/overview} (regions, namespaces and counts by state, for the filters and the header) and
 * {@code GET /ui/events} (Server-Sent Events: changed Services and the decision log, see {@link LiveFeed}).
 */
public final class MeshView {

    private final Context loop;
    private final WorldModel world;
    private final RegionLiveness liveness;
    private final PolicyBook policies;
    private final Clock clock;
    private final LiveFeed feed;
    private final UiAssets assets = UiAssets.load();

    /** Call before records flow: it listens to the world model's changes. */
    public MeshView(Context loop, WorldModel world, RegionLiveness liveness, PolicyBook policies, Clock clock) {
        this.loop = loop;
        this.world = world;
        this.liveness = liveness;
        this.policies = policies;
        this.clock = clock;
        this.feed = new LiveFeed(world, liveness, policies, clock);
        world.onChange(feed::changed);
        loop.runOnContext(ignored -> loop.owner().setPeriodic(LiveFeed.FLUSH_MILLIS, timer -> feed.flush()));
    }

    /** Starts reading the decisions topic into the decision log; close the poller to stop. */
    public RecordPoller tailDecisions(Map<String, Object> consumerConfig, String decisionsTopic) {
        return DecisionTail.start(consumerConfig, decisionsTopic, loop, feed::decision);
    }

    public void routes(Router router) {
        router.get("/ui").handler(context -> {
            if (context.request().path().equals("/ui")) {
                context.redirect("/ui/");
            } else {
                asset(context, "index.html");
            }
        });
        router.get("/ui/overview").handler(context -> loop.runOnContext(ignored ->
                OperationsServer.json(context, 200, overview())));
        router.get("/ui/events").handler(this::events);
        router.get("/ui/:file").handler(context -> asset(context, context.pathParam("file")));
    }

    private void asset(RoutingContext context, String name) {
        assets.file(name).ifPresentOrElse(bytes -> context.response()
                        .putHeader("Content-Type", UiAssets.type(name))
                        .putHeader("Cache-Control", "no-cache")
                        .putHeader("X-Content-Type-Options", "nosniff")
                        .end(Buffer.buffer(bytes)),
                () -> OperationsServer.json(context, 404, new JsonObject().put("message", "no such file: " + name)));
    }

    private void events(RoutingContext context) {
        HttpServerResponse response = context.response();
        Context http = Vertx.currentContext();
        response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
        response.closeHandler(ignored -> loop.runOnContext(done -> feed.disconnect(response)));
        loop.runOnContext(ignored -> feed.connect(response, http));
    }

    /** Regions (with when their agent was last heard), namespaces, and how many Services are in each state. */
    private JsonObject overview() {
        Instant now = clock.instant();
        Map<String, Map<String, Integer>> byRegion = new TreeMap<>();
        world.regions().forEach(region -> byRegion.put(region, new TreeMap<>()));
        TreeSet<String> namespaces = new TreeSet<>();
        for (ServiceKey service : world.services()) {
            namespaces.add(service.namespace());
            Policy policy = policies.resolve(service);
            world.service(service).forEach((region, records) -> byRegion.computeIfAbsent(region, key -> new TreeMap<>())
                    .merge(RegionStates.of(records, RegionStates.stale(liveness, region, policy, now)), 1,
                            Integer::sum));
        }
        JsonArray regions = new JsonArray();
        byRegion.forEach((region, counts) -> {
            JsonObject line = new JsonObject().put("region", region).put("states", new JsonObject(Map.copyOf(counts)))
                    .put("stale", RegionStates.stale(liveness, region, Policy.DEFAULT, now));
            liveness.lastHeard(region).ifPresent(heard -> line.put("agentLastHeard", heard.toString()));
            regions.add(line);
        });
        return new JsonObject().put("at", now.toString()).put("services", world.size()).put("regions", regions)
                .put("namespaces", new JsonArray(namespaces.stream().toList()))
                .put("states", new JsonArray(java.util.List.of(RegionStates.ALL)))
                .put("viewers", feed.clients()).put("decisions", feed.decisionsKept());
    }
}
