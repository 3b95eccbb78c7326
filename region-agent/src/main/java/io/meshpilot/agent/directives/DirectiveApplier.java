package io.meshpilot.agent.directives;

import io.fabric8.kubernetes.api.model.Service;
import io.meshpilot.agent.AgentMetrics;
import io.meshpilot.agent.AgentMetrics.DirectiveResult;
import io.meshpilot.agent.directives.ServiceAnnotator.Change;
import io.meshpilot.agent.kubernetes.KubernetesCalls;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.kafka.DeadLetters;
import io.meshpilot.schemas.DirectiveStatus.Result;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import io.vertx.core.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this region's Services as their directives want them. It remembers the newest directive per Service (the
 * desired state) and, while this replica leads, applies what a Service lacks one at a time: a newer directive, or the
 * current one again when someone edited an owned annotation by hand (drift). It never applies a version older than
 * the one a Service carries, refuses (with a Rejected status and a dead letter) directives for another region, for a
 * Service it does not manage or with annotations it does not own, and retries failed writes with backoff. Confined
 * to the agent's event loop; the Kubernetes calls run on a worker thread.
 */
public final class DirectiveApplier {

    private static final Logger LOG = LoggerFactory.getLogger(DirectiveApplier.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(60);

    private final Context loop;
    private final String region;
    private final Function<ServiceKey, Optional<Service>> services;
    private final ServiceAnnotator annotator;
    private final StatusReporter status;
    private final DeadLetters deadLetters;
    private final AgentMetrics metrics;
    private final Function<ServiceKey, Optional<Instant>> healthChangedAt;
    private final Clock clock;
    private final Map<ServiceKey, Received> desired = new HashMap<>();
    private final Map<ServiceKey, Received> pending = new LinkedHashMap<>();
    private final Map<ServiceKey, Integer> failures = new HashMap<>();
    private ServiceKey applying;
    private boolean recheck;
    private boolean active;

    DirectiveApplier(Context loop, String region, Function<ServiceKey, Optional<Service>> services,
            ServiceAnnotator annotator, StatusReporter status, DeadLetters deadLetters, AgentMetrics metrics,
            Function<ServiceKey, Optional<Instant>> healthChangedAt, Clock clock) {
        this.loop = loop;
        this.region = region;
        this.services = services;
        this.annotator = annotator;
        this.status = status;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.healthChangedAt = healthChangedAt;
        this.clock = clock;
    }

    /**
     * A directive read from the topic. One this agent must never apply is refused at once (by the leader, so the
     * refusal is reported once); one older than the newest known for its Service is skipped.
     */
    void offer(Received received) {
        ServiceDirective directive = received.directive();
        Optional<String> refusal = refusal(directive);
        if (refusal.isPresent()) {
            if (active) {
                reject(received, refusal.get());
            }
            return;
        }
        Received kept = desired.merge(directive.key(), received, Received::newer);
        if (kept != received) {
            skip(directive, "a newer directive " + kept.directive().version() + " is known");
        } else if (active) {
            pending.put(directive.key(), received);
            applyNext();
        }
    }

    /** A tombstone read from the topic: the control plane no longer directs this Service here. */
    void withdrawn(ServiceKey service) {
        desired.remove(service);
        pending.remove(service);
    }

    /** A managed Service seen added or changed: applies what it lacks, reverting manual edits. */
    public void observed(Service service) {
        ServiceKey key = new ServiceKey(service.getMetadata().getNamespace(), service.getMetadata().getName());
        if (key.equals(applying)) {
            recheck = true;
            return;
        }
        Received target = desired.get(key);
        if (active && target != null && !inSync(service, target.directive())) {
            pending.put(key, target);
            applyNext();
        }
    }

    /** This replica leads: apply whatever the Services lack. */
    public void activate() {
        active = true;
        pending.putAll(desired);
        applyNext();
    }

    /** Publishes the latest status of every Service again (Kafka answers after an outage). */
    public void resendStatuses() {
        status.resendLatest();
    }

    /** Another replica leads: stand by. */
    public void deactivate() {
        active = false;
        pending.clear();
    }

    private void applyNext() {
        while (active && applying == null && !pending.isEmpty()) {
            Iterator<Received> next = pending.values().iterator();
            Received received = next.next();
            next.remove();
            consider(received);
        }
    }

    private void consider(Received received) {
        ServiceDirective directive = received.directive();
        Optional<Service> service = services.apply(directive.key());
        if (service.isEmpty()) {
            reject(received, "Service " + directive.key() + " does not exist or is not managed in " + region);
            return;
        }
        OptionalLong carried = OwnedAnnotations.version(service.get());
        if (carried.isPresent() && carried.getAsLong() > directive.version()) {
            skip(directive, "the Service carries a newer directive version " + carried.getAsLong());
        } else if (inSync(service.get(), directive)) {
            if (failures.remove(directive.key()) != null) {
                // a write reported as failed (e.g. timed out) had landed: the directive is in effect after all
                status.report(directive, Result.APPLIED, null);
            }
        } else if (carried.isPresent() && carried.getAsLong() == directive.version()) {
            apply(service.get(), directive, Change.DRIFT);
        } else {
            apply(service.get(), directive, Change.DIRECTIVE);
        }
    }

    /** Why this agent must never apply the directive, whatever its Service looks like. */
    private Optional<String> refusal(ServiceDirective directive) {
        if (!directive.region().equals(region)) {
            return Optional.of("directive for region " + directive.region() + " reached the agent of " + region);
        }
        if (!CiliumServiceConfig.WRITTEN.containsAll(directive.annotations().keySet())) {
            return Optional.of("annotations outside the written set " + CiliumServiceConfig.WRITTEN.stream().sorted()
                    .toList() + ": " + directive.annotations().keySet().stream().sorted().toList());
        }
        return Optional.empty();
    }

    private void apply(Service service, ServiceDirective directive, Change change) {
        applying = directive.key();
        loop.executeBlocking(() -> annotator.apply(service, directive, change), false).onComplete(done -> {
            applying = null;
            if (done.succeeded()) {
                applied(directive, change);
            } else {
                failed(directive, done.cause());
            }
            if (recheck) {
                // the Service changed while it was being written: an edit made meanwhile must not be missed
                recheck = false;
                services.apply(directive.key()).ifPresent(this::observed);
            }
            applyNext();
        });
    }

    private void applied(ServiceDirective directive, Change change) {
        failures.remove(directive.key());
        metrics.directive(change == Change.DRIFT ? DirectiveResult.DRIFT_REVERTED : DirectiveResult.APPLIED);
        if (change == Change.DIRECTIVE) {
            healthChangedAt.apply(directive.key())
                    .ifPresent(changed -> metrics.reaction(Duration.between(changed, clock.instant())));
        }
        LOG.atInfo().addKeyValue("service", directive.key()).addKeyValue("version", directive.version())
                .addKeyValue("annotations", directive.annotations()).addKeyValue("reason", directive.reason())
                .log(change == Change.DRIFT ? "manual edit reverted" : "directive applied");
        status.report(directive, Result.APPLIED, change == Change.DRIFT ? "reverted a manual edit" : null);
    }

    private void failed(ServiceDirective directive, Throwable cause) {
        metrics.directive(DirectiveResult.FAILED);
        int attempt = failures.merge(directive.key(), 1, Integer::sum);
        Duration retryIn = backoff(attempt);
        String why = KubernetesCalls.describe(cause);
        LOG.atWarn().addKeyValue("service", directive.key()).addKeyValue("version", directive.version())
                .addKeyValue("error", why).addKeyValue("retryIn", retryIn).log("directive not applied");
        status.report(directive, Result.FAILED, why);
        loop.owner().setTimer(retryIn.toMillis(), ignored -> retry(directive.key()));
    }

    private void retry(ServiceKey key) {
        Received target = desired.get(key);
        if (active && target != null && failures.containsKey(key)) {
            pending.putIfAbsent(key, target);
            applyNext();
        }
    }

    static Duration backoff(int attempt) {
        Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(attempt - 1, 10));
        return delay.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : delay;
    }

    private void skip(ServiceDirective directive, String why) {
        metrics.directive(DirectiveResult.SKIPPED);
        LOG.atDebug().addKeyValue("service", directive.key()).addKeyValue("version", directive.version())
                .addKeyValue("reason", why).log("directive skipped");
    }

    private void reject(Received received, String why) {
        ServiceDirective directive = received.directive();
        metrics.directive(DirectiveResult.REJECTED);
        status.report(directive, Result.REJECTED, why);
        deadLetters.send(received.topic(), received.position(), directive.key().toString(), received.bytes(),
                DeadLetters.Cause.REJECTED, why);
    }

    private static boolean inSync(Service service, ServiceDirective directive) {
        return Objects.equals(OwnedAnnotations.on(service), OwnedAnnotations.wantedBy(directive));
    }
}
