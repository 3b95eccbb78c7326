package io.meshpilot.controlplane.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.controlplane.ControlPlaneMetrics;
import io.meshpilot.controlplane.shard.Output;
import io.meshpilot.controlplane.shard.Pending;
import io.meshpilot.controlplane.shard.ResultTimers;
import io.meshpilot.testing.ManualTime;
import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.world.RegionLiveness;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.core.decision.Mode;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.kafka.SendListener;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.schemas.Topics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decision loop without Kafka: time moves, timers fire, and what reaches the outbox is checked. */
class DecisionLoopTest {

    private static final ServiceKey SERVICE = new ServiceKey("default", "hello-world");
    private static final EndpointCounts READY = new EndpointCounts(2, 2, 0, 2, 2);
    private static final EndpointCounts DOWN = new EndpointCounts(0, 0, 0, 0, 2);

    private final ManualTime time = new ManualTime(Instant.parse("2026-11-25T12:00:00Z"));
    private final WorldModel world = new WorldModel();
    private final RegionLiveness liveness = new RegionLiveness();
    private final PolicyBook policies = new PolicyBook();
    private final Pending pending = new Pending();
    private final Topics topics = Topics.defaults();
    private DecisionLoop loop;

    @BeforeEach
    void start() {
        loop = new DecisionLoop(world, liveness, policies, new ResultTimers(time, pending::add), time,
                new ControlPlaneMetrics(new PrometheusRegistry(), SendListener.NONE));
        policies.accept("*", new Policy("*", Mode.AUTO, 1, 0, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of()));
        heartbeat("us");
        heartbeat("eu");
        health("us", READY);
        health("eu", READY);
        pending.add(loop.own(0));
    }

    @Test
    void publishesADirectivePerRegionWhenItStartsDecidingAndNothingWhenNothingChanges() {
        assertThat(published()).extracting(ServiceDirective::region, ServiceDirective::reason)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("eu", "local-healthy"),
                        org.assertj.core.groups.Tuple.tuple("us", "local-healthy"));
        health("eu", READY);

        assertThat(published()).isEmpty();
    }

    @Test
    void failsOverWhenTheFailoverDelayEndsWithoutAnyNewInput() {
        published();
        health("us", DOWN);
        assertThat(published()).singleElement().satisfies(directive ->
                assertThat(directive.reason()).isEqualTo("failover-pending"));

        keepHearing(Duration.ofSeconds(9));
        assertThat(published()).isEmpty();
        keepHearing(Duration.ofSeconds(2));

        assertThat(published()).singleElement().satisfies(directive -> {
            assertThat(directive.reason()).isEqualTo("local-degraded");
            assertThat(directive.annotations()).containsEntry("service.cilium.io/affinity", "remote");
        });
    }

    @Test
    void failsBackOnlyAfterTheFailbackDelayByTimer() {
        published();
        health("us", DOWN);
        keepHearing(Duration.ofSeconds(11));
        published();

        health("us", READY);
        assertThat(published()).singleElement().satisfies(directive ->
                assertThat(directive.reason()).isEqualTo("failback-pending"));
        keepHearing(Duration.ofSeconds(29));
        assertThat(published()).isEmpty();
        keepHearing(Duration.ofSeconds(2));

        assertThat(published()).singleElement().satisfies(directive -> {
            assertThat(directive.reason()).isEqualTo("local-healthy");
            assertThat(directive.annotations()).containsEntry("service.cilium.io/affinity", "local");
        });
    }

    @Test
    void holdsASilentRegionsDirectiveAndStopsChoosingItAsATarget() {
        published();
        time.advance(Duration.ofSeconds(16));
        heartbeat("us");

        health("us", DOWN);

        assertThat(published()).singleElement().satisfies(directive -> {
            assertThat(directive.region()).isEqualTo("us");
            assertThat(directive.reason()).isEqualTo("no-healthy-target");
        });
    }

    @Test
    void givesEveryChangeTheServicesNextVersion() {
        List<ServiceDirective> first = published();
        health("us", DOWN);
        List<ServiceDirective> second = published();

        assertThat(first).extracting(ServiceDirective::version).containsOnly(1L);
        assertThat(second).extracting(ServiceDirective::version).containsOnly(2L);
    }

    @Test
    void decidesAgainWhenATransactionIsAborted() {
        pending.abort();

        assertThat(Pending.directives(pending.commit())).extracting(ServiceDirective::region).containsExactlyInAnyOrder("eu",
                "us");
    }

    @Test
    void neverHandsOutTheVersionOfAnAbortedTransactionAgain() {
        // A commit that timed out is reported aborted, though the broker may have committed it.
        List<ServiceDirective> maybeCommitted = Pending.directives(pending.abort());
        List<ServiceDirective> decidedAgain = published();
        health("us", DOWN);

        assertThat(maybeCommitted).extracting(ServiceDirective::version).containsOnly(1L);
        assertThat(decidedAgain).extracting(ServiceDirective::version).containsOnly(2L);
        assertThat(published()).extracting(ServiceDirective::version).containsOnly(3L);
    }

    @Test
    void aRegionWhoseDirectiveWasTombstonedGetsAVersionAboveTheOneItsServiceStillCarries() {
        published();
        health("us", DOWN);
        assertThat(published()).singleElement().satisfies(directive -> assertThat(directive.version()).isEqualTo(2));
        world.health(SERVICE, "us", 0, null);
        pending.add(loop.changed(SERVICE));
        assertThat(pending.commit()).filteredOn(Output.DirectiveTombstone.class::isInstance).hasSize(1);
        world.directive(SERVICE, "us", 0, null);
        loop.observedWithdrawal(SERVICE, "us");

        // the Service is managed again in us: it still carries version 2, which the agent would not go below
        health("us", READY);

        assertThat(published()).filteredOn(directive -> directive.region().equals("us"))
                .extracting(ServiceDirective::version).containsExactly(3L);
    }

    @Test
    void stopsDecidingForAPartitionItNoLongerOwns() {
        published();
        loop.disown(0);
        health("us", DOWN);

        assertThat(published()).isEmpty();
        assertThat(time.pending()).as("no review timer left for the Service").isLessThanOrEqualTo(2);
    }

    private void keepHearing(Duration duration) {
        for (Duration passed = Duration.ZERO; passed.compareTo(duration) < 0; passed = passed.plusSeconds(1)) {
            time.advance(Duration.ofSeconds(1));
            heartbeat("us");
            heartbeat("eu");
        }
    }

    private void heartbeat(String region) {
        pending.add(loop.heard(region, liveness.heard(new AgentHeartbeat(region, "agent-" + region, "test",
                time.instant(), 1, true), time.instant())));
    }

    private void health(String region, EndpointCounts endpoints) {
        world.health(SERVICE, region, 0, new ServiceHealth(region, SERVICE.namespace(), SERVICE.name(), endpoints,
                time.instant(), "agent-" + region));
        pending.add(loop.changed(SERVICE));
    }

    /** What reached the outbox, as the observer would read it back: now in force. */
    private List<ServiceDirective> published() {
        List<ServiceDirective> directives = Pending.directives(pending.commit());
        directives.forEach(directive -> {
            world.directive(SERVICE, directive.region(), 0, directive);
            loop.observed(directive);
        });
        return directives;
    }
}
