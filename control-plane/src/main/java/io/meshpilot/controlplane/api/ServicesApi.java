package io.meshpilot.controlplane.api;

import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.world.RegionLiveness;
import io.meshpilot.controlplane.world.RegionRecords;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.runtime.http.OperationsServer;
import io.meshpilot.schemas.Names;
import io.meshpilot.schemas.ServiceKey;
import io.vertx.core.Context;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The control plane's HTTP API (SPEC §7): {@code GET /api/v1/services} (paged, filterable by namespace, region and
 * state), {@code GET /api/v1/services/{namespace}/{name}} and {@code GET /api/v1/version}. Any replica answers for every Service: each reads all
 * the region topics. Requests are served on the control plane's event loop, which owns what they read. Errors are
 * JSON with a message.
 */
public final class ServicesApi {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final Set<String> STATES = Set.of("healthy", "degraded", "drained", "stale", "pending",
            "unmanaged");

    private final Context loop;
    private final WorldModel world;
    private final RegionLiveness liveness;
    private final PolicyBook policies;
    private final Clock clock;

    public ServicesApi(Context loop, WorldModel world, RegionLiveness liveness, PolicyBook policies, Clock clock) {
        this.loop = loop;
        this.world = world;
        this.liveness = liveness;
        this.policies = policies;
        this.clock = clock;
    }

    public void routes(Router router) {
        router.get("/api/v1/services").handler(context -> onLoop(context, this::list));
        router.get("/api/v1/services/:namespace/:name").handler(context -> onLoop(context, this::detail));
        BuildInfoApi.routes(router);
    }

    private void onLoop(RoutingContext context, java.util.function.Consumer<RoutingContext> handler) {
        loop.runOnContext(ignored -> {
            try {
                handler.accept(context);
            } catch (BadRequest e) {
                error(context, 400, e.getMessage());
            }
        });
    }

    private void list(RoutingContext context) {
        String namespace = parameter(context, "namespace", Names::namespace);
        String region = parameter(context, "region", Names::region);
        String state = parameter(context, "state", value -> STATES.contains(value) ? Optional.empty()
                : Optional.of("must be one of " + STATES.stream().sorted().toList()));
        int limit = limit(context);
        String after = context.request().getParam("page");
        Instant now = clock.instant();
        List<ServiceKey> matching = world.services().stream()
                .filter(service -> namespace == null || service.namespace().equals(namespace))
                .filter(service -> ServiceView.matches(world.service(service), region, state, liveness,
                        policies.resolve(service), now))
                .toList();
        List<ServiceKey> page = matching.stream().filter(service -> after == null
                || service.toString().compareTo(after) > 0).limit(limit).toList();
        JsonArray items = new JsonArray();
        page.forEach(service -> items.add(ServiceView.summary(service, world.service(service), liveness,
                policies.resolve(service), now)));
        JsonObject body = new JsonObject().put("items", items).put("total", matching.size());
        if (!page.isEmpty() && matching.indexOf(page.get(page.size() - 1)) < matching.size() - 1) {
            body.put("next", page.get(page.size() - 1).toString());
        }
        OperationsServer.json(context, 200, body);
    }

    private void detail(RoutingContext context) {
        ServiceKey service = new ServiceKey(context.pathParam("namespace"), context.pathParam("name"));
        Map<String, RegionRecords> records = world.service(service);
        if (records.isEmpty()) {
            error(context, 404, "no Service " + service + " in any region");
            return;
        }
        OperationsServer.json(context, 200, ServiceView.detail(service, records, liveness,
                policies.resolve(service), clock.instant()));
    }

    private static String parameter(RoutingContext context, String name,
            java.util.function.Function<String, Optional<String>> check) {
        String value = context.request().getParam(name);
        if (value != null) {
            check.apply(value).ifPresent(problem -> {
                throw new BadRequest(name + " '" + value + "' " + problem);
            });
        }
        return value;
    }

    private static int limit(RoutingContext context) {
        String value = context.request().getParam("limit");
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequest("limit must be a number from 1 to " + MAX_LIMIT + ", got '" + value + "'");
    }

    private static void error(RoutingContext context, int status, String message) {
        OperationsServer.json(context, status, new JsonObject().put("message", message));
    }

    /** A request the client must fix; answered with 400 and the message. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
