package io.meshpilot.agent.health;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshpilot.agent.kubernetes.KubernetesCalls;
import io.meshpilot.schemas.ServiceKey;
import io.vertx.core.Context;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says on a managed Service, with a Warning Event {@code McsApiExported} (once per agent start and Service, while
 * this replica leads), that it is also exported through the MCS-API, where meshpilot cannot steer affinity per region.
 * Confined to the agent's event loop; the Event is written on a worker thread.
 */
public final class McsApiNotice {

    public static final String REASON = "McsApiExported";
    public static final String MESSAGE = "also exported through the MCS-API (ServiceExport): Cilium derives one "
            + "Service for the whole cluster set, its annotations from the oldest export, so meshpilot cannot steer "
            + "affinity per region for it; its health still reports this region";
    private static final Logger LOG = LoggerFactory.getLogger(McsApiNotice.class);
    private static final String CREATE_EVENT = "create-mcs-event";

    private final KubernetesClient client;
    private final KubernetesCalls calls;
    private final Context loop;
    private final Function<ServiceKey, Optional<Service>> services;
    private final BooleanSupplier leading;
    private final String agentId;
    private final Clock clock;
    private final Set<ServiceKey> told = new HashSet<>();

    public McsApiNotice(KubernetesClient client, KubernetesCalls calls, Context loop,
            Function<ServiceKey, Optional<Service>> services, BooleanSupplier leading, String agentId, Clock clock) {
        this.client = client;
        this.calls = calls;
        this.loop = loop;
        this.services = services;
        this.leading = leading;
        this.agentId = agentId;
        this.clock = clock;
        calls.expect(CREATE_EVENT);
    }

    /** A managed Service seen exported through the MCS-API. */
    public void exported(ServiceKey key) {
        Optional<Service> service = services.apply(key);
        if (!leading.getAsBoolean() || service.isEmpty() || !told.add(key)) {
            return;
        }
        loop.executeBlocking(() -> calls.write(CREATE_EVENT, () -> client.v1().events()
                .inNamespace(key.namespace()).resource(event(service.get())).create()), false)
                .onFailure(failure -> loop.runOnContext(ignored -> {
                    told.remove(key);
                    LOG.atWarn().addKeyValue("service", key).addKeyValue("error", KubernetesCalls.describe(failure))
                            .log("cannot record the MCS-API Event; recorded when the Service is seen again");
                }));
    }

    private io.fabric8.kubernetes.api.model.Event event(Service service) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
        return new EventBuilder()
                .withNewMetadata().withGenerateName(service.getMetadata().getName() + ".")
                .withNamespace(service.getMetadata().getNamespace()).endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Service")
                .withNamespace(service.getMetadata().getNamespace()).withName(service.getMetadata().getName())
                .withUid(service.getMetadata().getUid()).endInvolvedObject()
                .withType("Warning")
                .withReason(REASON)
                .withMessage(MESSAGE)
                .withNewSource().withComponent("meshpilot-agent").endSource()
                .withReportingComponent("meshpilot.io/agent")
                .withReportingInstance(agentId)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
    }
}
