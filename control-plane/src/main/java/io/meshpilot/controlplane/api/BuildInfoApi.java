package io.meshpilot.controlplane.api;

import io.meshpilot.runtime.http.OperationsServer;
import io.meshpilot.schemas.BuildInfo;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** {@code GET /api/v1/version}: the build this replica runs, for {@code meshpilot version}. */
final class BuildInfoApi {

    private BuildInfoApi() {
    }

    static void routes(Router router) {
        JsonObject build = new JsonObject().put("component", "control-plane").put("version", BuildInfo.version())
                .put("java", Runtime.version().toString());
        router.get("/api/v1/version").handler(context -> OperationsServer.json(context, 200, build));
    }
}
