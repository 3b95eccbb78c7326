package io.meshpilot.agent.directives;

import io.meshpilot.schemas.KubernetesContract;
import io.fabric8.kubernetes.api.model.Service;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.schemas.DirectiveStatus.Result;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import io.vertx.core.Context;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies directives to this region's Services one at a time, newest first per Service: a directive superseded
 * while it waits is never applied, and a version older than one applied is skipped. Confined to the agent's event
 * loop; the Kubernetes calls run on a worker thread.
 */
public final class DirectiveApplier {

    private static final Logger LOG = LoggerFactory.getLogger(DirectiveApplier.class);

    private final Context loop;
    private final String region;
    private final Function<ServiceKey, Optional<Service>> services;
    private final ServiceAnnotator annotator;
    private final StatusReporter status;
    private final Map<ServiceKey, ServiceDirective> pending = new LinkedHashMap<>();
    private final Map<ServiceKey, Long> applied = new HashMap<>();
    private boolean applying;

    DirectiveApplier(Context loop, String region, Function<ServiceKey, Optional<Service>> services,
            ServiceAnnotator annotator, StatusReporter status) {
        this.loop = loop;
        this.region = region;
        this.services = services;
        this.annotator = annotator;
        this.status = status;
    }

    /** Queues a directive; call on the agent's event loop. */
    void offer(ServiceDirective directive) {
        if (!directive.region().equals(region)) {
            reject(directive, "directive for region " + directive.region() + " reached the agent of " + region);
            return;
        }
        pending.merge(directive.key(), directive,
                (waiting, offered) -> offered.version() > waiting.version() ? offered : waiting);
        applyNext();
    }

    private void applyNext() {
        if (applying || pending.isEmpty()) {
            return;
        }
        Iterator<ServiceDirective> next = pending.values().iterator();
        ServiceDirective directive = next.next();
        next.remove();
        Optional<Service> service = services.apply(directive.key());
        if (service.isEmpty()) {
            reject(directive, "Service " + directive.key() + " does not exist or is not managed in " + region);
        } else if (!CiliumServiceConfig.OWNED.containsAll(directive.annotations().keySet())) {
            reject(directive, "annotations outside the owned set " + CiliumServiceConfig.OWNED.stream().sorted()
                    .toList() + ": " + directive.annotations().keySet().stream().sorted().toList());
        } else if (directive.version() <= appliedVersion(service.get())) {
            LOG.atDebug().addKeyValue("service", directive.key()).addKeyValue("version", directive.version())
                    .log("directive not newer than the applied one, skipped");
        } else {
            apply(service.get(), directive);
            return;
        }
        applyNext();
    }

    private void apply(Service service, ServiceDirective directive) {
        applying = true;
        loop.executeBlocking(() -> annotator.apply(service, directive), false).onComplete(done -> {
            applying = false;
            if (done.succeeded()) {
                applied.merge(directive.key(), directive.version(), Math::max);
                LOG.atInfo().addKeyValue("service", directive.key()).addKeyValue("version", directive.version())
                        .addKeyValue("annotations", directive.annotations()).addKeyValue("reason", directive.reason())
                        .log("directive applied");
                status.report(directive, Result.APPLIED, null);
            } else {
                LOG.atWarn().addKeyValue("service", directive.key()).addKeyValue("version", directive.version())
                        .addKeyValue("error", done.cause().toString()).log("directive not applied");
                status.report(directive, Result.FAILED, String.valueOf(done.cause().getMessage()));
            }
            applyNext();
        });
    }

    /** The newer of the version this agent applied and the one recorded on the Service. */
    private long appliedVersion(Service service) {
        ServiceKey key = new ServiceKey(service.getMetadata().getNamespace(), service.getMetadata().getName());
        long remembered = applied.getOrDefault(key, 0L);
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        String recorded = annotations == null ? null : annotations.get(KubernetesContract.DIRECTIVE_VERSION_ANNOTATION);
        try {
            return Math.max(remembered, recorded == null ? 0L : Long.parseLong(recorded));
        } catch (NumberFormatException e) {
            return remembered;
        }
    }

    private void reject(ServiceDirective directive, String why) {
        LOG.atWarn().addKeyValue("service", directive.key()).addKeyValue("version", directive.version())
                .addKeyValue("reason", why).log("directive rejected");
        status.report(directive, Result.REJECTED, why);
    }
}
