package io.meshpilot.controlplane.whatif;

import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.core.whatif.RegionEffect;
import io.meshpilot.core.whatif.RegionSide;
import io.meshpilot.core.whatif.ServiceEffect;
import io.meshpilot.core.whatif.WhatIfReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A what-if report as the HTTP API answers it. */
final class WhatIfView {

    private WhatIfView() {
    }

    static JsonObject of(WhatIfReport report) {
        JsonArray services = new JsonArray();
        report.changed().forEach(effect -> services.add(service(effect)));
        return new JsonObject().put("at", report.at().toString()).put("published", false)
                .put("services", services).put("unchanged", report.unchanged())
                .put("globalOutages", new JsonArray(report.globalOutages()));
    }

    private static JsonObject service(ServiceEffect effect) {
        String[] key = effect.service().split("/", 2);
        JsonArray regions = new JsonArray();
        effect.regions().forEach(region -> regions.add(region(region)));
        return new JsonObject().put("namespace", key[0]).put("name", key[1])
                .put("policyBefore", effect.policyBefore()).put("policyAfter", effect.policyAfter())
                .put("globalOutageBefore", effect.globalOutageBefore())
                .put("globalOutageAfter", effect.globalOutageAfter())
                .put("settledAt", effect.settledAt().toString()).put("settled", effect.settled())
                .put("regions", regions);
    }

    private static JsonObject region(RegionEffect region) {
        return new JsonObject().put("region", region.region()).put("directiveChanges", region.directiveChanges())
                .put("routesChange", region.routesChange()).put("before", side(region.before()))
                .put("after", side(region.after()));
    }

    private static JsonObject side(RegionSide side) {
        JsonObject view = new JsonObject().put("state", side.state().wireName()).put("reason",
                side.reason().wireName());
        CiliumServiceConfig.fromAnnotations(side.annotations()).filter(config -> !side.annotations().isEmpty())
                .ifPresent(config -> view.put("global", config.global()).put("shared", config.shared())
                        .put("affinity", config.affinity().name().toLowerCase(Locale.ROOT)
                                .replace("balanced", "none")));
        Map<String, Object> annotations = new TreeMap<>(side.annotations());
        JsonObject routes = new JsonObject();
        side.routes().forEach(routes::put);
        return view.put("annotations", new JsonObject(annotations)).put("routes", routes);
    }
}
