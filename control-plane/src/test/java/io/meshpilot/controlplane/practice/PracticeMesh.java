package io.meshpilot.controlplane.practice;

import io.meshpilot.controlplane.shard.ControlPlaneShard;
import io.meshpilot.controlplane.shard.DecisionMetrics;
import io.meshpilot.controlplane.shard.Inbound;
import io.meshpilot.controlplane.shard.Output;
import io.meshpilot.controlplane.shard.Pending;
import io.meshpilot.controlplane.shard.RecordOrigin;
import io.meshpilot.controlplane.shard.ResultTimers;
import io.meshpilot.core.routing.CacheTtls;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.PracticeRunStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.testing.ManualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The real {@link ControlPlaneShard} with the manual clock, fed as the runtime feeds it: every output is committed and
 * read back (directives, practice statuses), an agent per region heartbeats every 5 s, and each tick the agents apply
 * the directives they received in the tick before (so a drain is applied one second after it is read back).
 */
final class PracticeMesh {

    static final Instant START = Instant.parse("2026-12-02T12:00:00Z");

    final ManualTime time = new ManualTime(START);
    final Pending pending = new Pending();
    final Map<String, Integer> ended = new TreeMap<>();
    final List<Duration> drains = new ArrayList<>();
    final List<Duration> failbacks = new ArrayList<>();
    final PracticeMetrics metrics = new PracticeMetrics() {
        @Override
        public void ended(String result) {
            ended.merge(result, 1, Integer::sum);
        }

        @Override
        public void drained(Duration elapsed) {
            drains.add(elapsed);
        }

        @Override
        public void failedBack(Duration elapsed) {
            failbacks.add(elapsed);
        }

        @Override
        public void active(int runs) {
        }
    };
    final ControlPlaneShard shard = new ControlPlaneShard(new ResultTimers(time, pending::add), time,
            DecisionMetrics.NONE, CacheTtls.NEVER, io.meshpilot.controlplane.policy.PinExpiry.Metrics.NONE, metrics);
    final List<String> regions;
    final List<ServiceKey> services;
    final List<PracticeRunStatus> statuses = new ArrayList<>();
    final List<ServiceDirective> published = new ArrayList<>();
    /** Told of every practice status as it is read back. */
    java.util.function.Consumer<PracticeRunStatus> onStatus = status -> { };
    private final Map<String, ServiceDirective> unapplied = new TreeMap<>();
    private final Map<String, ServiceDirective> received = new TreeMap<>();
    private final Map<String, EndpointCounts> truth = new HashMap<>();
    private long offset;
    private Instant lastBeat = START;

    PracticeMesh(List<String> regions, List<ServiceKey> services, String policy) {
        this.regions = List.copyOf(regions);
        this.services = List.copyOf(services);
        pending.add(shard.answerPolicies());
        pending.add(shard.replay(new Inbound.Policy(origin("meshpilot.policies"), "*", Optional.of(bytes(
                "{\"apiVersion\":\"meshpilot.io/v1\",\"kind\":\"TrafficPolicy\"" + policy + "}")))));
        heartbeats();
        for (ServiceKey service : services) {
            for (String region : regions) {
                health(service, region, 3);
            }
        }
        pending.add(shard.own(0));
        deliver();
        applyAll();
    }

    void health(ServiceKey service, String region, int ready) {
        EndpointCounts counts = new EndpointCounts(ready, ready, 0, ready, 3);
        truth.put(service + "@" + region, counts);
        pending.add(shard.replay(new Inbound.Health(origin("meshpilot." + region + ".health"), region, service,
                Optional.of(new ServiceHealth(region, service.namespace(), service.name(), counts, time.instant(),
                        "agent-" + region)))));
        deliver();
    }

    /** Writes a practice run as an operator would: the document's fields after kind, or a tombstone. */
    void run(String name, String fields) {
        Optional<byte[]> document = fields == null ? Optional.empty() : Optional.of(bytes(
                "{\"apiVersion\":\"meshpilot.io/v1\",\"kind\":\"PracticeRun\"" + fields + "}"));
        pending.add(shard.replay(new Inbound.Practice(origin("meshpilot.practice-runs"), name, document)));
        deliver();
    }

    /** Time passes second by second: agents apply what they received a tick before, heartbeat every 5 s. */
    void pass(Duration elapsed) {
        for (long second = 0; second < elapsed.toSeconds(); second++) {
            applyReceived();
            time.advance(Duration.ofSeconds(1));
            if (!time.instant().isBefore(lastBeat.plus(Duration.ofSeconds(5)))) {
                heartbeats();
            }
            deliver();
            received.putAll(unapplied);
        }
    }

    /** The statuses of a run read back, in order. */
    List<PracticeRunStatus> statuses(String name) {
        return statuses.stream().filter(status -> status.name().equals(name)).toList();
    }

    PracticeRunStatus last(String name) {
        List<PracticeRunStatus> ofRun = statuses(name);
        return ofRun.get(ofRun.size() - 1);
    }

    /** The reason of the directive last published for the Service in the region. */
    String reason(ServiceKey service, String region) {
        return shard.world().service(service).get(region).directive().reason();
    }

    boolean degradedSomewhere(String except) {
        return truth.entrySet().stream().anyMatch(entry -> !entry.getKey().endsWith("@" + except)
                && entry.getValue().ready() == 0);
    }

    private void applyReceived() {
        List.copyOf(received.keySet()).forEach(this::apply);
        received.clear();
    }

    private void applyAll() {
        List.copyOf(unapplied.keySet()).forEach(this::apply);
    }

    private void apply(String at) {
        ServiceDirective directive = unapplied.remove(at);
        if (directive == null) {
            return;
        }
        pending.add(shard.replay(new Inbound.Status(origin("meshpilot." + directive.region() + ".status"),
                directive.region(), directive.key(), Optional.of(new DirectiveStatus(directive.region(),
                directive.namespace(), directive.service(), directive.version(), DirectiveStatus.Result.APPLIED,
                "applied", time.instant(), "agent-" + directive.region())))));
        deliver();
    }

    private void heartbeats() {
        lastBeat = time.instant();
        for (String region : regions) {
            pending.add(shard.replay(new Inbound.Heartbeat(origin("meshpilot." + region + ".heartbeat"), region,
                    new AgentHeartbeat(region, "agent-" + region, "test", time.instant(), 1, true))));
        }
        deliver();
    }

    /** Commits what is pending and reads it back, as the observer would, until nothing more comes. */
    void deliver() {
        time.runDue();
        while (!pending.isEmpty()) {
            for (Output output : pending.commit()) {
                if (output instanceof Output.Directive directive) {
                    ServiceDirective sent = directive.directive();
                    published.add(sent);
                    unapplied.put(sent.key() + "@" + sent.region(), sent);
                    pending.add(shard.replay(new Inbound.Directive(origin("meshpilot." + sent.region()
                            + ".directives"), sent.region(), sent.key(), Optional.of(sent))));
                } else if (output instanceof Output.PracticeReport report) {
                    statuses.add(report.status());
                    onStatus.accept(report.status());
                    pending.add(shard.replay(new Inbound.PracticeAnswered(origin("meshpilot.practice-status"),
                            report.status())));
                }
            }
            time.runDue();
        }
    }

    private RecordOrigin origin(String topic) {
        return new RecordOrigin(topic, 0, offset++);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
