package io.meshpilot.agent.directives;

import io.meshpilot.runtime.timers.KeyedTimers;
import io.meshpilot.runtime.timers.Scheduler;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the agent did with each directive to {@code P.<region>.status}, and the latest status of every
 * Service again when Kafka answers after an outage, {@value #CHUNK} per event-loop task so that re-sending tens of
 * thousands never blocks the loop. Confined to the agent's event loop.
 */
final class StatusReporter {

    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);
    static final int CHUNK = 500;
    private static final String RESEND = "resend";

    private final Function<DirectiveStatus, CompletionStage<?>> publish;
    private final String region;
    private final String agentId;
    private final Clock clock;
    private final KeyedTimers<String> timers;
    private final Map<ServiceKey, Reported> latest = new LinkedHashMap<>();
    /** Services whose latest status is still to be sent again, oldest first. */
    private final Set<ServiceKey> resending = new LinkedHashSet<>();

    /**
     * What is kept of a Service's latest status, one per watched Service: the rest of its {@link DirectiveStatus} is
     * the Service's key and this agent's names, and a time as two numbers costs a third of an {@link Instant}.
     */
    private record Reported(long version, DirectiveStatus.Result result, String message, long epochSecond,
            int nano) {

        static Reported of(DirectiveStatus status) {
            return new Reported(status.version(), status.result(), status.message(),
                    status.observedAt().getEpochSecond(), status.observedAt().getNano());
        }
    }

    /**
     * {@code publish} sends one status to the region's status topic, keyed by its Service; {@code scheduler} runs
     * the chunks of a re-send on the loop.
     */
    StatusReporter(Function<DirectiveStatus, CompletionStage<?>> publish, String region, String agentId, Clock clock,
            Scheduler scheduler) {
        this.publish = publish;
        this.region = region;
        this.agentId = agentId;
        this.clock = clock;
        this.timers = new KeyedTimers<>(scheduler);
    }

    /** Reports what was done with the directive; {@code service} is its key, kept for its latest status. */
    void report(ServiceKey service, ServiceDirective directive, DirectiveStatus.Result result, String message) {
        DirectiveStatus status = new DirectiveStatus(region, directive.namespace(), directive.service(),
                directive.version(), result, message, clock.instant(), agentId);
        latest.put(service, Reported.of(status));
        resending.remove(service);
        send(status);
    }

    /** The control plane no longer directs the Service here: its status is neither kept nor sent again. */
    void forget(ServiceKey service) {
        latest.remove(service);
        resending.remove(service);
    }

    /** The last status reported for the Service. */
    Optional<DirectiveStatus> latest(ServiceKey service) {
        return Optional.ofNullable(latest.get(service)).map(reported -> status(service, reported));
    }

    private DirectiveStatus status(ServiceKey service, Reported reported) {
        return new DirectiveStatus(region, service.namespace(), service.name(), reported.version(), reported.result(),
                reported.message(), Instant.ofEpochSecond(reported.epochSecond(), reported.nano()), agentId);
    }

    /** Whether the directive's version was last reported as applied. */
    boolean reportedApplied(ServiceDirective directive) {
        Reported last = latest.get(directive.key());
        return last != null && last.version() == directive.version()
                && last.result() == DirectiveStatus.Result.APPLIED;
    }

    /** Sends every Service's latest status again: the first chunk now, the rest in later tasks. */
    void resendLatest() {
        resending.addAll(latest.keySet());
        resendChunk();
    }

    /** Statuses still waiting to be sent again. */
    int resendPending() {
        return resending.size();
    }

    private void resendChunk() {
        Iterator<ServiceKey> next = resending.iterator();
        for (int sent = 0; sent < CHUNK && next.hasNext(); sent++) {
            ServiceKey service = next.next();
            Reported reported = latest.get(service);
            next.remove();
            if (reported != null) {
                send(status(service, reported));
            }
        }
        if (resending.isEmpty()) {
            timers.cancel(RESEND);
        } else {
            timers.schedule(RESEND, Duration.ZERO, this::resendChunk);
        }
    }

    private void send(DirectiveStatus status) {
        publish.apply(status).whenComplete((metadata, failure) -> {
            if (failure != null) {
                LOG.atWarn().addKeyValue("service", status.key()).addKeyValue("error", failure.toString())
                        .log("cannot publish directive status; sent again when Kafka answers");
            }
        });
    }
}
