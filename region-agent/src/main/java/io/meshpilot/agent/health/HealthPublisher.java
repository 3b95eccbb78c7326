package io.meshpilot.agent.health;

import io.meshpilot.agent.AgentMetrics;
import io.meshpilot.core.health.EndpointTally;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.runtime.timers.KeyedTimers;
import io.meshpilot.runtime.timers.Scheduler;
import io.vertx.core.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes Services' health to {@code P.<region>.health}: only what changed, a burst of changes coalesced into one
 * record per Service, none held back longer than the publish window; a tombstone for a Service that is gone; and
 * everything again on demand (resync, Kafka back after an outage, leadership gained), {@value #CHUNK} Services per
 * event-loop task so that tens of thousands never block the loop. Publishes only while active (this replica leads).
 * Confined to the agent's event loop.
 */
public final class HealthPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(HealthPublisher.class);

    /** Where health goes: the region's health topic, keyed by Service; completions are handed to the loop. */
    interface Sink {
        CompletionStage<?> send(String key, ServiceHealth health);

        CompletionStage<?> tombstone(String key);
    }

    private static final String FLUSH = "flush";
    static final int CHUNK = 500;
    /** At most this many distinct observations are shared; past it, one is kept as it came. */
    static final int SHARED_OBSERVATIONS = 1_024;

    private final Sink sender;
    private final Executor loop;
    private final KeyedTimers<String> timers;
    private final String region;
    private final String agentId;
    private final Clock clock;
    private final Duration window;
    private final AgentMetrics metrics;
    private final Map<ServiceKey, ServiceObservation> published = new HashMap<>();
    /**
     * One instance per distinct observation for {@link #published}: most Services look alike (say two of two ready,
     * exportable), and the agent keeps one for every Service it watches.
     */
    private final Map<ServiceObservation, ServiceObservation> shared = new HashMap<>();
    private final Set<ServiceKey> dirty = new LinkedHashSet<>();
    private final Map<ServiceKey, Instant> changedAt = new HashMap<>();
    private final Set<ServiceKey> unwithdrawn = new LinkedHashSet<>();
    private Function<ServiceKey, Optional<ServiceObservation>> current = key -> Optional.empty();
    private Supplier<Set<ServiceKey>> managed = Set::of;
    private boolean active;

    public HealthPublisher(Context loop, RecordSender sender, String topic, String region, String agentId,
            Clock clock, Duration window, AgentMetrics metrics) {
        this(new Sink() {
            @Override
            public CompletionStage<?> send(String key, ServiceHealth health) {
                return sender.send(topic, key, health);
            }

            @Override
            public CompletionStage<?> tombstone(String key) {
                return sender.tombstone(topic, key);
            }
        }, action -> loop.runOnContext(ignored -> action.run()), Scheduler.on(loop), region, agentId, clock, window,
                metrics);
    }

    /** {@code loop} runs actions on the publisher's thread, where {@code scheduler} runs its timers too. */
    HealthPublisher(Sink sender, Executor loop, Scheduler scheduler, String region, String agentId, Clock clock,
            Duration window, AgentMetrics metrics) {
        this.sender = sender;
        this.loop = loop;
        this.timers = new KeyedTimers<>(scheduler);
        this.region = region;
        this.agentId = agentId;
        this.clock = clock;
        this.window = window;
        this.metrics = metrics;
    }

    /** Where the publisher reads the Services' current health: empty when a Service is not managed. */
    void source(Function<ServiceKey, Optional<ServiceObservation>> currentHealth, Supplier<Set<ServiceKey>> services) {
        this.current = currentHealth;
        this.managed = services;
    }

    /** Notes that a Service's health may have changed; it is published at the end of the window. */
    void changed(ServiceKey service) {
        changedAt.putIfAbsent(service, clock.instant());
        dirty.add(service);
        if (active && !timers.isScheduled(FLUSH)) {
            timers.schedule(FLUSH, window, this::flush);
        }
    }

    /**
     * When this agent first saw the Service's health change since the last call, for the reaction-time metric;
     * forgets it.
     */
    public Optional<Instant> takeFirstChange(ServiceKey service) {
        return Optional.ofNullable(changedAt.remove(service));
    }

    /** Starts publishing (this replica leads): everything is published again, and gone Services withdrawn. */
    public void activate(Set<String> previouslyPublished) {
        active = true;
        for (String key : previouslyPublished) {
            ServiceKey.parse(key).filter(service -> current.apply(service).isEmpty()).ifPresent(this::withdraw);
        }
        republishAll("leadership");
    }

    /** Stops publishing (another replica leads). */
    public void deactivate() {
        active = false;
        timers.cancel(FLUSH);
        dirty.clear();
        published.clear();
    }

    public boolean active() {
        return active;
    }

    /** Publishes every managed Service's health, changed or not. */
    public void republishAll(String cause) {
        if (!active) {
            return;
        }
        metrics.republished(cause);
        published.clear();
        Set.copyOf(unwithdrawn).forEach(this::withdraw);
        managed.get().forEach(dirty::add);
        flush();
    }

    /** Publishes the changed Services, {@value #CHUNK} per event-loop task: the rest in the next, due at once. */
    private void flush() {
        timers.cancel(FLUSH);
        if (!active) {
            return;
        }
        Iterator<ServiceKey> next = dirty.iterator();
        for (int flushed = 0; flushed < CHUNK && next.hasNext(); flushed++) {
            ServiceKey service = next.next();
            next.remove();
            Optional<ServiceObservation> tally = current.apply(service);
            if (tally.isPresent()) {
                publish(service, tally.get());
            } else if (published.containsKey(service)) {
                withdraw(service);
            }
        }
        if (!dirty.isEmpty()) {
            timers.schedule(FLUSH, Duration.ZERO, this::flush);
        }
    }

    /** Services still to be published by the flush under way. */
    int pending() {
        return dirty.size();
    }

    private void publish(ServiceKey service, ServiceObservation endpoints) {
        if (Objects.equals(published.get(service), endpoints)) {
            return;
        }
        published.put(service, share(endpoints));
        ServiceHealth health = new ServiceHealth(region, service.namespace(), service.name(),
                counts(endpoints.endpoints()), clock.instant(), agentId, endpoints.exportable(),
                endpoints.mcsApiExport());
        sender.send(service.toString(), health).whenComplete((metadata, failure) -> {
            if (failure != null) {
                loop.execute(() -> forget(service, endpoints, failure));
            }
        });
    }

    private ServiceObservation share(ServiceObservation observation) {
        ServiceObservation known = shared.get(observation);
        if (known != null) {
            return known;
        }
        if (shared.size() < SHARED_OBSERVATIONS) {
            shared.put(observation, observation);
        }
        return observation;
    }

    private void withdraw(ServiceKey service) {
        published.remove(service);
        changedAt.remove(service);
        unwithdrawn.add(service);
        sender.tombstone(service.toString()).whenComplete((metadata, failure) -> loop.execute(() -> {
            if (failure == null) {
                unwithdrawn.remove(service);
            } else {
                LOG.atWarn().addKeyValue("service", service).addKeyValue("error", failure.toString())
                        .log("cannot publish health tombstone; sent again when Kafka answers");
            }
        }));
    }

    private void forget(ServiceKey service, ServiceObservation endpoints, Throwable failure) {
        LOG.atWarn().addKeyValue("service", service).addKeyValue("error", failure.toString())
                .log("cannot publish health; sent again when Kafka answers");
        published.remove(service, endpoints);
    }

    static EndpointCounts counts(EndpointTally tally) {
        return new EndpointCounts(tally.ready(), tally.serving(), tally.terminating(), tally.active(),
                tally.fallback(), tally.exported(), tally.total());
    }
}
