package io.meshpilot.controlplane.whatif;

import io.meshpilot.controlplane.decisions.DecisionLoop;
import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.world.RegionLiveness;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.core.routing.CacheTtls;
import io.meshpilot.core.whatif.WhatIf;
import io.meshpilot.runtime.http.OperationsServer;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code POST /api/v1/what-if} (SPEC §7): a read-only simulation of hypothetical changes on every Service this
 * replica knows (any replica answers: each reads all the region topics). The inputs are copied on the control
 * plane's event loop, which owns them; the simulation runs on a worker thread. Nothing is published. A body the
 * client must fix is answered 400 with a message naming the field.
 */
public final class WhatIfApi {

    static final long MAX_BODY_BYTES = 1024 * 1024;

    private final Context loop;
    private final WorldModel world;
    private final Snapshots snapshots;
    private final Clock clock;
    private final WhatIf whatIf = new WhatIf();

    public WhatIfApi(Context loop, WorldModel world, RegionLiveness liveness, PolicyBook policies,
            DecisionLoop decisions, CacheTtls cacheTtls, Clock clock) {
        this.loop = loop;
        this.world = world;
        this.snapshots = new Snapshots(world, liveness, policies, decisions, cacheTtls);
        this.clock = clock;
    }

    public void routes(Router router) {
        router.post("/api/v1/what-if").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES))
                .handler(this::simulate);
    }

    private void simulate(RoutingContext context) {
        String body = context.body().asString();
        loop.runOnContext(ignored -> {
            Snapshots.Taken taken;
            try {
                taken = snapshots.take(WhatIfRequest.parse(body, world.regions()));
            } catch (WhatIfRequest.Invalid e) {
                error(context, 400, e.getMessage());
                return;
            }
            Instant now = clock.instant();
            loop.owner().executeBlocking(() -> WhatIfView.of(whatIf.simulate(taken.services(),
                    taken.hypothesis(), now)), false).onComplete(done -> {
                        if (done.succeeded()) {
                            OperationsServer.json(context, 200, done.result());
                        } else {
                            error(context, 500, "the simulation failed: " + done.cause().getMessage());
                        }
                    });
        });
    }

    private static void error(RoutingContext context, int status, String message) {
        OperationsServer.json(context, status, new JsonObject().put("message", message));
    }
}
