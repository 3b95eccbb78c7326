package io.meshpilot.agent.directives;

import io.fabric8.kubernetes.api.model.Service;
import io.meshpilot.agent.AgentMetrics;
import io.meshpilot.agent.AgentMetrics.DirectiveResult;
import io.meshpilot.agent.directives.ServiceAnnotator.Change;
import io.meshpilot.agent.kubernetes.KubernetesCalls;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.runtime.timers.KeyedTimers;
import io.meshpilot.runtime.timers.Scheduler;
import io.meshpilot.schemas.DirectiveStatus.Result;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this region's Services as their directives want them, as a Kubernetes controller does (client-go's work
 * queue, the Java Operator SDK's EventProcessor). It remembers the newest directive per Service (the desired state)
 * and, while this replica leads, reconciles each Service whose directive or observed state changed: one write at a
 * time per Service, at most {@code parallelism} Services at once, so a Service stuck in retries holds one worker and
 * no other Service. The newest directive wins: an older one still being written is superseded (it stops before its
 * next attempt and reports nothing) and its retry is cancelled. A failed write is retried by key with backoff (1 s
 * doubling to 60 s). Status comes from what the Service carries: a Service found in sync with its directive reports
 * Applied, whoever wrote it. Patches come first; their Events go to the {@link EventRecorder}, which writes them only
 * when no patch is waiting. It never applies a version older than the one a Service carries, and refuses (with a
 * Rejected status and a dead letter) directives for another region, for a Service it does not manage or with
 * annotations it does not own. Confined to the agent's event loop; the writes run elsewhere.
 */
public final class DirectiveApplier {

    /** Writes a directive onto its Service; completes on the event loop with the patched Service. */
    interface Patcher {
        CompletionStage<Service> patch(Service current, ServiceDirective directive, BooleanSupplier stillWanted);
    }

    /** Answers a directive this agent must never apply (a dead letter). */
    interface Refusals {
        void refuse(Received received, String why);
    }

    /** What the applier works with. */
    record Parts(String region, int parallelism, Function<ServiceKey, Optional<Service>> services, Patcher patcher,
            EventRecorder.Sink events, BooleanSupplier sparePermit, StatusReporter status, Refusals refusals,
            AgentMetrics metrics, Function<ServiceKey, Optional<Instant>> healthChangedAt, Clock clock,
            Scheduler scheduler, UnaryOperator<ServiceKey> keys) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(DirectiveApplier.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(60);

    /** A write under way; {@code superseded} is read by the worker before each attempt. */
    private static final class Write {
        final ServiceDirective directive;
        final Change change;
        final Service before;
        volatile boolean superseded;

        Write(ServiceDirective directive, Change change, Service before) {
            this.directive = directive;
            this.change = change;
            this.before = before;
        }
    }

    /** The informer's copy still shows {@code from} after a patch that made it {@code to}: wait for the watch. */
    private record Written(String from, String to) {
    }

    private final Parts parts;
    private final StatusReporter status;
    private final EventRecorder events;
    private final KeyedTimers<ServiceKey> retries;
    private final Map<ServiceKey, Desired> desired = new HashMap<>();
    private final WorkQueue<ServiceKey> queue = new WorkQueue<>();
    private final Map<ServiceKey, Write> writing = new HashMap<>();
    private final Map<ServiceKey, Integer> failures = new HashMap<>();
    private final Map<ServiceKey, Written> unseen = new HashMap<>();
    private boolean active;

    DirectiveApplier(Parts parts) {
        this.parts = parts;
        this.status = parts.status();
        this.retries = new KeyedTimers<>(parts.scheduler());
        this.events = new EventRecorder(parts.events(), parts.clock(), new KeyedTimers<>(parts.scheduler()),
                queue::hasReady, parts.sparePermit(), parts.parallelism());
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
                reject(directive.key(), received, refusal.get());
            }
            return;
        }
        ServiceKey key = parts.keys().apply(directive.key());
        Desired kept = desired.get(key);
        if (kept != null && kept.version() > directive.version()) {
            skip(directive, "a newer directive " + kept.version() + " is known");
            return;
        }
        desired.put(key, Desired.of(received)); // the later one read wins a tie (a directive re-sent)
        supersede(key);
        enqueue(key);
    }

    /** A tombstone read from the topic: the control plane no longer directs this Service here. */
    void withdrawn(ServiceKey service) {
        desired.remove(service);
        queue.forget(service);
        supersede(service);
        status.forget(service);
    }

    /** A managed Service seen added or changed: reconciles it (a manual edit is reverted). */
    public void observed(Service service) {
        ServiceKey key = parts.keys().apply(new ServiceKey(service.getMetadata().getNamespace(),
                service.getMetadata().getName()));
        Written written = unseen.get(key);
        if (written != null && !Objects.equals(written.from(), service.getMetadata().getResourceVersion())) {
            unseen.remove(key);
        }
        if (desired.containsKey(key)) {
            enqueue(key);
        }
    }

    /** This replica leads: reconcile every Service with a directive. */
    public void activate() {
        active = true;
        desired.keySet().forEach(queue::add);
        pump();
    }

    /** Publishes the latest status of every Service again (Kafka answers after an outage). */
    public void resendStatuses() {
        status.resendLatest();
    }

    /** Another replica leads: stand by; writes under way are superseded. */
    public void deactivate() {
        active = false;
        queue.clear();
        retries.cancelAll();
        failures.clear();
        List.copyOf(writing.keySet()).forEach(this::supersede);
        events.clear();
    }

    /** Services written right now (at most the parallelism). */
    int writing() {
        return writing.size();
    }

    /** Retries waiting for their time. */
    int retriesPending() {
        return retries.size();
    }

    /** Events waiting to be written. */
    int eventsPending() {
        return events.pendingCount();
    }

    private void enqueue(ServiceKey key) {
        if (active) {
            queue.add(key);
            pump();
        }
    }

    /** The newest directive wins: the write of an older one stops before its next attempt, its retry is cancelled. */
    private void supersede(ServiceKey key) {
        Write underway = writing.get(key);
        if (underway != null) {
            underway.superseded = true;
        }
        retries.cancel(key);
        failures.remove(key);
    }

    private void pump() {
        while (active && writing.size() < parts.parallelism()) {
            Optional<ServiceKey> next = queue.take();
            if (next.isEmpty()) {
                break;
            }
            if (!reconcile(next.get())) {
                queue.done(next.get());
            }
        }
        events.drain();
    }

    /** Starts a write if the Service lacks its directive; whether it did. */
    private boolean reconcile(ServiceKey key) {
        Desired target = desired.get(key);
        if (target == null) {
            return false;
        }
        ServiceDirective directive = target.directive(parts.region(), key);
        Optional<Service> service = parts.services().apply(key);
        if (service.isEmpty()) {
            reject(key, target.received(parts.region(), key), "Service " + key + " does not exist or is not managed in " + parts.region());
            return false;
        }
        Written written = unseen.get(key);
        if (written != null && written.from().equals(service.get().getMetadata().getResourceVersion())) {
            return false; // the informer has not shown our own patch yet; its event reconciles again
        }
        OptionalLong carried = OwnedAnnotations.version(service.get());
        if (carried.isPresent() && carried.getAsLong() > directive.version()) {
            skip(directive, "the Service carries a newer directive version " + carried.getAsLong());
            return false;
        }
        if (inSync(service.get(), directive)) {
            foundInSync(key, directive);
            return false;
        }
        Change change = carried.isPresent() && carried.getAsLong() == directive.version() ? Change.DRIFT
                : Change.DIRECTIVE;
        write(key, new Write(directive, change, service.get()));
        return true;
    }

    /** Status from observed state: e.g. a write reported as failed (timed out) had landed after all. */
    private void foundInSync(ServiceKey key, ServiceDirective directive) {
        retries.cancel(key);
        failures.remove(key);
        if (!status.reportedApplied(directive)) {
            status.report(key, directive, Result.APPLIED, "found in sync");
        }
    }

    private void write(ServiceKey key, Write write) {
        writing.put(key, write);
        parts.patcher().patch(write.before, write.directive, () -> !write.superseded)
                .whenComplete((patched, failure) -> finished(key, write, patched, failure));
    }

    private void finished(ServiceKey key, Write write, Service patched, Throwable failure) {
        writing.remove(key);
        queue.done(key);
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (patched != null) {
            unseen.put(key, new Written(write.before.getMetadata().getResourceVersion(),
                    patched.getMetadata().getResourceVersion()));
        }
        if (write.superseded || !active || cause instanceof ServiceAnnotator.Superseded) {
            LOG.atDebug().addKeyValue("service", key).addKeyValue("version", write.directive.version())
                    .log("directive superseded while written");
            if (active) {
                queue.add(key);
            }
        } else if (cause == null) {
            applied(key, write, patched);
        } else {
            failed(key, write.directive, cause);
        }
        pump();
    }

    private void applied(ServiceKey key, Write write, Service patched) {
        ServiceDirective directive = write.directive;
        failures.remove(key);
        parts.metrics().directive(write.change == Change.DRIFT ? DirectiveResult.DRIFT_REVERTED
                : DirectiveResult.APPLIED);
        if (write.change == Change.DIRECTIVE) {
            parts.healthChangedAt().apply(directive.key()).ifPresent(changed ->
                    parts.metrics().reaction(Duration.between(changed, parts.clock().instant())));
        }
        LOG.atInfo().addKeyValue("service", directive.key()).addKeyValue("version", directive.version())
                .addKeyValue("annotations", directive.annotations()).addKeyValue("reason", directive.reason())
                .log(write.change == Change.DRIFT ? "manual edit reverted" : "directive applied");
        status.report(key, directive, Result.APPLIED, write.change == Change.DRIFT ? "reverted a manual edit"
                : null);
        events.record(ServiceAnnotator.eventFor(write.before, directive, write.change),
                patched.getMetadata().getUid());
    }

    private void failed(ServiceKey key, ServiceDirective directive, Throwable cause) {
        parts.metrics().directive(DirectiveResult.FAILED);
        int attempt = failures.merge(key, 1, Integer::sum);
        Duration retryIn = backoff(attempt);
        String why = KubernetesCalls.describe(cause);
        LOG.atWarn().addKeyValue("service", directive.key()).addKeyValue("version", directive.version())
                .addKeyValue("error", why).addKeyValue("retryIn", retryIn).log("directive not applied");
        status.report(key, directive, Result.FAILED, why);
        retries.schedule(key, retryIn, () -> enqueue(key));
    }

    static Duration backoff(int attempt) {
        Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(attempt - 1, 10));
        return delay.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : delay;
    }

    /** Why this agent must never apply the directive, whatever its Service looks like. */
    private Optional<String> refusal(ServiceDirective directive) {
        if (!directive.region().equals(parts.region())) {
            return Optional.of("directive for region " + directive.region() + " reached the agent of "
                    + parts.region());
        }
        if (!CiliumServiceConfig.WRITTEN.containsAll(directive.annotations().keySet())) {
            return Optional.of("annotations outside the written set " + CiliumServiceConfig.WRITTEN.stream().sorted()
                    .toList() + ": " + directive.annotations().keySet().stream().sorted().toList());
        }
        return Optional.empty();
    }

    private void skip(ServiceDirective directive, String why) {
        parts.metrics().directive(DirectiveResult.SKIPPED);
        LOG.atDebug().addKeyValue("service", directive.key()).addKeyValue("version", directive.version())
                .addKeyValue("reason", why).log("directive skipped");
    }

    private void reject(ServiceKey key, Received received, String why) {
        parts.metrics().directive(DirectiveResult.REJECTED);
        status.report(key, received.directive(), Result.REJECTED, why);
        parts.refusals().refuse(received, why);
    }

    private static boolean inSync(Service service, ServiceDirective directive) {
        return Objects.equals(OwnedAnnotations.on(service), OwnedAnnotations.wantedBy(directive));
    }
}
