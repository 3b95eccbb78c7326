package io.meshpilot.benchmarks.load;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One region of the harness: its cluster in memory (each Service's ready endpoints and its annotations) and an agent
 * that does what the real one does with Kafka, without an API server: it publishes health and heartbeats, reads its
 * directives, keeps the newest per Service as desired state, and writes them at most {@code writeRate} per second (as
 * the real agent's rate limiter does), reporting each as applied. The baseline hands it directives directly.
 */
final class SimulatedRegion implements AutoCloseable {

    static final String NAMESPACE = "load";
    private static final String AFFINITY = "service.cilium.io/affinity";

    private final String name;
    private final RegionListener listener;
    private final Map<ServiceKey, Integer> ready = new ConcurrentHashMap<>();
    private final Map<ServiceKey, Map<String, String>> annotations = new ConcurrentHashMap<>();
    private final Map<ServiceKey, ServiceDirective> desired = new ConcurrentHashMap<>();
    private final Map<ServiceKey, Long> appliedVersions = new ConcurrentHashMap<>();
    private final Set<ServiceKey> queued = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<ServiceKey> dirty = new LinkedBlockingQueue<>();
    private final RateLimiter writes;
    private final Thread applier;
    private final AtomicLong applied = new AtomicLong();
    private volatile boolean closed;
    private volatile Topics topics;
    private volatile RecordSender sender;

    SimulatedRegion(String name, int services, int writeRate, RegionListener listener) {
        this.name = name;
        this.listener = listener;
        for (int i = 0; i < services; i++) {
            ready.put(key(i), 2);
        }
        this.writes = RateLimiter.of(name + "-writes", RateLimiterConfig.custom()
                .limitRefreshPeriod(Duration.ofMillis(10)).limitForPeriod(Math.max(1, writeRate / 100))
                .timeoutDuration(Duration.ofMinutes(10)).build());
        this.applier = new Thread(this::applyLoop, "sim-" + name + "-applier");
        this.applier.setDaemon(true);
        this.applier.start();
    }

    static ServiceKey key(int index) {
        return new ServiceKey(NAMESPACE, "svc-" + index);
    }

    String name() {
        return name;
    }

    /** Connects the agent to Kafka through the shared clients ({@link SimulatedAgents}). */
    SimulatedRegion connect(Topics kafkaTopics, RecordSender shared) {
        this.topics = kafkaTopics;
        this.sender = shared;
        return this;
    }

    /** The agent's heartbeat (every second, sent by {@link SimulatedAgents}). */
    void heartbeat() {
        sender.send(topics.heartbeat(name), name, new AgentHeartbeat(name, "sim-" + name, "bench", Instant.now(),
                ready.size(), true));
    }

    int ready(ServiceKey service) {
        return ready.getOrDefault(service, 0);
    }

    /** Changes a Service's ready endpoints, and publishes its health when connected to Kafka. */
    void setReady(ServiceKey service, int count) {
        ready.put(service, count);
        publish(service);
    }

    /** Publishes a Service's health (when connected). */
    void publish(ServiceKey service) {
        if (sender != null) {
            int count = ready(service);
            sender.send(topics.health(name), service.toString(), new ServiceHealth(name, service.namespace(),
                    service.name(), new EndpointCounts(count, count, 0, count, Math.max(2, count)), Instant.now(),
                    "sim-" + name));
        }
    }

    void publishAll() {
        ready.keySet().forEach(this::publish);
    }

    /** A directive for this region: becomes desired if newer than what is desired, and is queued to be written. */
    void offer(ServiceDirective directive, long receivedNanos) {
        ServiceKey service = directive.key();
        ServiceDirective kept = desired.merge(service, directive,
                (current, offered) -> offered.version() > current.version() ? offered : current);
        if (kept != directive) {
            return;
        }
        listener.received(name, service, directive.annotations().getOrDefault(AFFINITY, "balanced"), receivedNanos);
        if (queued.add(service)) {
            dirty.add(service);
        }
    }

    /** The affinity annotation written for a Service, if any. */
    String affinity(ServiceKey service) {
        return annotations.getOrDefault(service, Map.of()).getOrDefault(AFFINITY, "none");
    }

    long applied() {
        return applied.get();
    }

    private void applyLoop() {
        while (!closed) {
            try {
                ServiceKey service = dirty.poll(100, TimeUnit.MILLISECONDS);
                if (service == null) {
                    continue;
                }
                queued.remove(service);
                ServiceDirective directive = desired.get(service);
                if (directive.version() <= appliedVersions.getOrDefault(service, 0L)) {
                    continue;
                }
                writes.acquirePermission();
                annotations.put(service, directive.annotations());
                appliedVersions.put(service, directive.version());
                applied.incrementAndGet();
                listener.applied(name, service, directive.annotations().getOrDefault(AFFINITY, "balanced"),
                        System.nanoTime());
                if (sender != null) {
                    sender.send(topics.status(name), service.toString(), new DirectiveStatus(name,
                            service.namespace(), service.name(), directive.version(), DirectiveStatus.Result.APPLIED,
                            "applied", Instant.now(), "sim-" + name));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        applier.interrupt();
    }
}
