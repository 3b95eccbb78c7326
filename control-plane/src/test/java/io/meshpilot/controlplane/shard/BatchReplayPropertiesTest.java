package io.meshpilot.controlplane.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.controlplane.decisions.ServiceRegion;
import io.meshpilot.core.routing.CacheTtls;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.testing.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A poll replayed as one batch ({@link ControlPlaneShard#replay(List)}: the world takes every record, then each
 * Service changed is decided once, through the decision loop's backlog) settles where the same records replayed one
 * at a time settle. Two shards with the manual clock read the same random health changes, poll by poll, each with
 * its own directives read back and applied by its agents; once the health stops changing and the policy's delays
 * and capacity window have passed, every Service's directives in force say the same in both (where the rules let the
 * way there choose, below, that choice is left out).
 */
class BatchReplayPropertiesTest {

    private static final List<String> REGIONS = List.of("ap", "eu", "us");
    private static final List<ServiceKey> SERVICES = List.of(new ServiceKey("default", "cart"),
            new ServiceKey("default", "checkout"), new ServiceKey("shop", "search"), new ServiceKey("shop", "ads"));
    private static final Instant START = Instant.parse("2026-12-03T12:00:00Z");
    /**
     * Capacity never holds a failover back: when the targets are short, the regions already away keep their place
     * (docs/decisions.md, rule 3), so which region that is depends on the way there, which a batch shortens.
     */
    private static final byte[] POLICY = ("{\"apiVersion\": \"meshpilot.io/v1\", \"kind\": \"TrafficPolicy\", "
            + "\"mode\": \"auto\", \"capacityFactor\": 0}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Property(tries = 60)
    void aBatchSettlesWhereTheSameRecordsOneByOneSettle(@ForAll long seed) {
        Random random = new Random(seed);
        Side oneByOne = new Side(false);
        Side batched = new Side(true);
        for (int step = 0; step < 30; step++) {
            int action = random.nextInt(100);
            if (action < 60) {
                List<Change> poll = new ArrayList<>();
                for (int record = 1 + random.nextInt(8); record > 0; record--) {
                    poll.add(new Change(SERVICES.get(random.nextInt(SERVICES.size())),
                            REGIONS.get(random.nextInt(REGIONS.size())), random.nextInt(4)));
                }
                oneByOne.poll(poll);
                batched.poll(poll);
            } else {
                Duration elapsed = Duration.ofSeconds(1 + random.nextInt(10));
                oneByOne.pass(elapsed);
                batched.pass(elapsed);
            }
        }
        // failback after 30 s (the default), capacity peaks kept for 5 min
        oneByOne.pass(Duration.ofMinutes(6));
        batched.pass(Duration.ofMinutes(6));

        assertThat(batched.inForce()).as("seed %d: batched against one by one", seed)
                .isEqualTo(oneByOne.inForce());
    }

    private record Change(ServiceKey service, String region, int ready) {
    }

    /**
     * What a region's directive in force says. With no healthy region anywhere, a region's clients stay where they
     * were (docs/decisions.md, rule 4): which side that is depends on the way there, which a batch shortens.
     */
    private record InForce(Map<String, String> annotations, String reason) {
        static InForce of(ServiceDirective directive) {
            Map<String, String> annotations = new TreeMap<>(directive.annotations());
            if (directive.reason().equals("no-healthy-target")) {
                annotations.remove("service.cilium.io/affinity");
            }
            return new InForce(annotations, directive.reason());
        }
    }

    /** A shard, its outbox committed as it fills, its directives read back and applied in its next poll. */
    private static final class Side {
        private final boolean batch;
        private final ManualTime time = new ManualTime(START);
        private final Pending pending = new Pending();
        private final ControlPlaneShard shard = new ControlPlaneShard(new ResultTimers(time, pending::add), time,
                DecisionMetrics.NONE, CacheTtls.NEVER);
        private final List<Inbound> readBack = new ArrayList<>();
        private final Map<ServiceRegion, InForce> inForce = new HashMap<>();
        private Instant lastBeat = START;
        private long offset;

        Side(boolean batch) {
            this.batch = batch;
            pending.add(shard.replay(new Inbound.Policy(origin("meshpilot.policies"), "*", Optional.of(POLICY))));
            heartbeats();
            for (ServiceKey service : SERVICES) {
                for (String region : REGIONS) {
                    pending.add(shard.replay(health(new Change(service, region, 3))));
                }
            }
            pending.add(shard.own(0));
            deliver();
            poll(List.of());
        }

        void poll(List<Change> changes) {
            List<Inbound> records = new ArrayList<>(readBack);
            readBack.clear();
            changes.forEach(change -> records.add(health(change)));
            if (batch) {
                pending.add(shard.replay(records));
            } else {
                records.forEach(record -> pending.add(shard.replay(record)));
            }
            deliver();
        }

        /** Time passes second by second: heartbeats every 5 s, a poll every second with what was read back. */
        void pass(Duration elapsed) {
            for (long second = 0; second < elapsed.toSeconds(); second++) {
                time.advance(Duration.ofSeconds(1));
                if (!time.instant().isBefore(lastBeat.plusSeconds(5))) {
                    heartbeats();
                }
                poll(List.of());
            }
        }

        Map<ServiceRegion, InForce> inForce() {
            return inForce;
        }

        private void heartbeats() {
            lastBeat = time.instant();
            for (String region : REGIONS) {
                pending.add(shard.replay(new Inbound.Heartbeat(origin("meshpilot." + region + ".heartbeat"), region,
                        new AgentHeartbeat(region, "agent-" + region, "test", time.instant(), 1, true))));
            }
            deliver();
        }

        /** Commits what is pending; each directive is read back and its agent's Applied status follows it. */
        private void deliver() {
            time.runDue();
            while (!pending.isEmpty()) {
                for (ServiceDirective directive : Pending.directives(pending.commit())) {
                    inForce.put(new ServiceRegion(directive.key(), directive.region()), InForce.of(directive));
                    readBack.add(new Inbound.Directive(origin("meshpilot." + directive.region() + ".directives"),
                            directive.region(), directive.key(), Optional.of(directive)));
                    readBack.add(new Inbound.Status(origin("meshpilot." + directive.region() + ".status"),
                            directive.region(), directive.key(), Optional.of(new DirectiveStatus(directive.region(),
                                    directive.namespace(), directive.service(), directive.version(),
                                    DirectiveStatus.Result.APPLIED, "applied", time.instant(),
                                    "agent-" + directive.region()))));
                }
                time.runDue();
            }
        }

        private Inbound.Health health(Change change) {
            return new Inbound.Health(origin("meshpilot." + change.region() + ".health"), change.region(),
                    change.service(), Optional.of(new ServiceHealth(change.region(), change.service().namespace(),
                            change.service().name(), new EndpointCounts(change.ready(), change.ready(), 0,
                                    change.ready(), 3), time.instant(), "agent-" + change.region())));
        }

        private RecordOrigin origin(String topic) {
            return new RecordOrigin(topic, 0, offset++);
        }
    }
}
