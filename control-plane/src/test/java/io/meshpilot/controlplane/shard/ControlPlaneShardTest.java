package io.meshpilot.controlplane.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.routing.CacheTtls;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.PolicyStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.testing.ManualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shard's handlers called directly: typed records in, results out, nothing done before its commit. */
class ControlPlaneShardTest {

    private static final ServiceKey SERVICE = new ServiceKey("default", "hello-world");
    private static final EndpointCounts READY = new EndpointCounts(3, 3, 0, 3, 3);
    private static final EndpointCounts DOWN = new EndpointCounts(0, 0, 0, 0, 3);

    private final ManualTime time = new ManualTime(Instant.parse("2026-12-01T12:00:00Z"));
    private final Pending pending = new Pending();
    private final ControlPlaneShard shard = new ControlPlaneShard(new ResultTimers(time, pending::add), time,
            DecisionMetrics.NONE, CacheTtls.NEVER);
    private long offset;

    @Test
    void anAbortedBatchWithAPolicyVerdictAndADeadLetterIsPublishedAgainAndOnlyOnceCommitted() {
        own();
        pending.add(shard.answerPolicies());
        pending.add(shard.replay(policy("*", "\"mode\": \"auto\", \"minReadyEndpoints\": 2")));
        pending.add(shard.replay(flawed()));
        List<Output> first = pending.abort();

        List<Output> second = pending.commit();

        assertThat(kinds(first)).contains(Output.PolicyAnswer.class, Output.DeadLetter.class);
        assertThat(second).filteredOn(Output.PolicyAnswer.class::isInstance).hasSize(1);
        assertThat(second).filteredOn(Output.DeadLetter.class::isInstance).hasSize(1);
        assertThat(second).filteredOn(Output.DeadLetter.class::isInstance).first()
                .isEqualTo(first.stream().filter(Output.DeadLetter.class::isInstance).findFirst().orElseThrow());
        shard.release(List.of(), true);
        assertThat(shard.answerPolicies().outputs()).as("answered once committed").isEmpty();
    }

    @Test
    void aVerdictIsNotAnsweredTwiceWhileItsAnswerIsInFlightNorTakenAsAnsweredBeforeItsCommit() {
        pending.add(shard.answerPolicies());
        Result answer = shard.replay(policy("*", "\"mode\": \"auto\""));
        assertThat(answer.outputs()).hasSize(1);

        shard.release(List.of(), true);
        assertThat(shard.answerPolicies().outputs()).as("still in flight").isEmpty();
        pending.add(answer);
        pending.abort();

        assertThat(pending.commit()).filteredOn(Output.PolicyAnswer.class::isInstance).hasSize(1);
    }

    @Test
    void aStatusReadBackMeansTheVerdictIsAnswered() {
        Inbound.Policy record = policy("*", "\"mode\": \"auto\"");
        shard.replay(record);
        shard.replay(new Inbound.PolicyAnswered(origin("meshpilot.policy-status"), new PolicyStatus("*", true,
                List.of(), record.origin().partition(), record.origin().offset(), time.instant())));

        assertThat(shard.answerPolicies().outputs()).isEmpty();
    }

    @Test
    void aDeletedPolicyLosesItsStatusAndARejectedOneIsAnsweredWithItsErrors() {
        pending.add(shard.answerPolicies());
        Result rejected = shard.replay(policy("*", "\"mode\": \"sideways\""));
        Result deleted = shard.replay(new Inbound.Policy(origin("meshpilot.policies"), "*", Optional.empty()));

        assertThat(rejected.outputs()).singleElement().satisfies(output -> assertThat(((Output.PolicyAnswer) output)
                .status().orElseThrow().accepted()).isFalse());
        assertThat(deleted.outputs()).singleElement().isEqualTo(new Output.PolicyAnswer("*", Optional.empty()));
        assertThat(shard.statuses().rejectedScopes()).isEmpty();
    }

    @Test
    void aFlawedRecordOfAPartitionOwnedByNoOneHereIsDeadLetteredOnceThisReplicaOwnsIt() {
        assertThat(shard.replay(flawed()).isEmpty()).isTrue();

        Result owning = shard.own(0);

        assertThat(owning.outputs()).filteredOn(Output.DeadLetter.class::isInstance).singleElement()
                .satisfies(letter -> assertThat(((Output.DeadLetter) letter).flaw()).isEqualTo(Flaw.INVALID));
    }

    @Test
    void anAbortedDirectiveIsDecidedAgainWithTheSameVersionAndCountedOnlyWhenCommitted() {
        own();
        List<ServiceDirective> aborted = Pending.directives(pending.abort());

        List<ServiceDirective> again = Pending.directives(pending.commit());

        assertThat(aborted).extracting(ServiceDirective::region).containsExactlyInAnyOrder("eu", "us");
        assertThat(again).extracting(ServiceDirective::region, ServiceDirective::version)
                .containsExactlyInAnyOrderElementsOf(aborted.stream()
                        .map(directive -> org.assertj.core.groups.Tuple.tuple(directive.region(),
                                directive.version())).toList());
    }

    @Test
    void aTimerResultIsPublishedLikeAHandlers() {
        shard.replay(policy("*", "\"mode\": \"auto\", \"failoverDelaySeconds\": 10"));
        own();
        readBack(pending.commit());
        pending.add(shard.replay(health("us", DOWN)));
        readBack(pending.commit());

        for (int second = 0; second < 12; second++) {
            time.advance(Duration.ofSeconds(1));
            heartbeat("us");
            heartbeat("eu");
        }

        assertThat(Pending.directives(pending.commit())).extracting(ServiceDirective::region,
                ServiceDirective::reason).contains(org.assertj.core.groups.Tuple.tuple("us", "local-degraded"));
        assertThat(Pending.directives(pending.commit())).isEmpty();
    }

    @Test
    void aReleasedPartitionIsDecidedNoMore() {
        own();
        pending.commit();
        shard.release(List.of(0), false);

        assertThat(shard.replay(health("us", DOWN)).isEmpty()).isTrue();
        assertThat(shard.decisions().decision(SERVICE)).isEmpty();
    }

    private void own() {
        heartbeat("us");
        heartbeat("eu");
        pending.add(shard.replay(health("us", READY)));
        pending.add(shard.replay(health("eu", READY)));
        pending.add(shard.own(0));
    }

    private void readBack(List<Output> outputs) {
        Pending.directives(outputs).forEach(directive -> shard.replay(new Inbound.Directive(
                origin("meshpilot." + directive.region() + ".directives"), directive.region(), SERVICE,
                Optional.of(directive))));
    }

    private void heartbeat(String region) {
        pending.add(shard.replay(new Inbound.Heartbeat(origin("meshpilot." + region + ".heartbeat"), region,
                new AgentHeartbeat(region, "agent-" + region, "test", time.instant(), 1, true))));
    }

    private Inbound.Health health(String region, EndpointCounts counts) {
        return new Inbound.Health(origin("meshpilot." + region + ".health"), region, SERVICE, Optional.of(
                new ServiceHealth(region, SERVICE.namespace(), SERVICE.name(), counts, time.instant(),
                        "agent-" + region)));
    }

    private Inbound.Policy policy(String scope, String fields) {
        return new Inbound.Policy(origin("meshpilot.policies"), scope,
                Optional.of(("{\"apiVersion\": \"meshpilot.io/v1\", \"kind\": \"TrafficPolicy\", " + fields + "}")
                        .getBytes(StandardCharsets.UTF_8)));
    }

    private Inbound.Flawed flawed() {
        return new Inbound.Flawed(origin("meshpilot.us.health"), "us", "default/x",
                "{oops".getBytes(StandardCharsets.UTF_8), Flaw.INVALID, "$: is not valid JSON");
    }

    private RecordOrigin origin(String topic) {
        return new RecordOrigin(topic, 0, offset++);
    }

    private static List<Class<?>> kinds(List<Output> outputs) {
        return outputs.stream().<Class<?>>map(Object::getClass).distinct().toList();
    }
}
