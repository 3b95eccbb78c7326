package io.meshpilot.controlplane.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.routing.Affinity;
import io.meshpilot.core.routing.CacheTtls;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.DirectiveStatus;
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
import java.util.Map;
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
    void anAbortedDirectiveIsDecidedAgainWithTheNextVersion() {
        own();
        List<ServiceDirective> aborted = Pending.directives(pending.abort());

        List<ServiceDirective> again = Pending.directives(pending.commit());

        // the abort may have been a commit that timed out: its version may be out there, so it is not used again
        assertThat(aborted).extracting(ServiceDirective::region).containsExactlyInAnyOrder("eu", "us");
        assertThat(again).extracting(ServiceDirective::region, ServiceDirective::version)
                .containsExactlyInAnyOrderElementsOf(aborted.stream()
                        .map(directive -> org.assertj.core.groups.Tuple.tuple(directive.region(),
                                directive.version() + 1)).toList());
    }

    @Test
    void aBatchDecidesEachServiceOnceOnItsLastRecords() {
        own();
        readBack(pending.commit());

        Result batch = shard.replay(List.of(health("us", DOWN), health("eu", DOWN), health("eu", READY)));

        assertThat(batch.outputs()).filteredOn(Output.DecisionLog.class::isInstance).hasSize(1);
        ServiceDecisionAssert.awayIn(shard.decisions().decision(SERVICE).orElseThrow(), "us");
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

    @Test
    void aServiceThatLeavesARegionReturnsAndLeavesAgainGetsADirectiveAndATombstoneEachTime() {
        own();
        readBack(pending.commit());

        pending.add(shard.replay(gone("eu")));
        List<Output> firstLeaving = pending.commit();
        readBackTombstones(firstLeaving);
        pending.add(shard.replay(health("eu", READY)));
        List<Output> returning = pending.commit();
        readBack(returning);
        pending.add(shard.replay(gone("eu")));
        List<Output> secondLeaving = pending.commit();

        assertThat(firstLeaving).filteredOn(Output.DirectiveTombstone.class::isInstance).singleElement()
                .isEqualTo(new Output.DirectiveTombstone(0, new io.meshpilot.controlplane.decisions.ServiceRegion(
                        SERVICE, "eu")));
        assertThat(Pending.directives(returning)).as("its directive was read back, then its tombstone")
                .filteredOn(directive -> directive.region().equals("eu")).singleElement()
                .satisfies(directive -> assertThat(directive.version()).isEqualTo(2));
        assertThat(secondLeaving).filteredOn(Output.DirectiveTombstone.class::isInstance).hasSize(1);
    }

    @Test
    void aReplicaTakingOverCarriesOnFromTheDirectivesOnTheTopic() {
        Instant degradedSince = time.instant().minusSeconds(20);
        shard.replay(policy("*", "\"mode\": \"auto\", \"failoverDelaySeconds\": 30"));
        pending.add(shard.replay(onTopic(new ServiceDirective("us", SERVICE.namespace(), SERVICE.name(), 5,
                exporting(Affinity.LOCAL), "pinned-by-policy", degradedSince, "degraded", degradedSince, null))));
        pending.add(shard.replay(onTopic(new ServiceDirective("eu", SERVICE.namespace(), SERVICE.name(), 5,
                exporting(Affinity.LOCAL), "pinned-by-policy", degradedSince, "healthy",
                degradedSince.minusSeconds(600), null))));
        heartbeat("us");
        heartbeat("eu");
        pending.add(shard.replay(health("us", DOWN)));
        pending.add(shard.replay(health("eu", READY)));

        pending.add(shard.own(0));

        assertThat(Pending.directives(pending.commit())).filteredOn(directive -> directive.region().equals("us"))
                .as("degraded since the previous owner said, so its failover delay is not started again")
                .singleElement().satisfies(directive -> {
                    assertThat(directive.reason()).isEqualTo("failover-pending");
                    assertThat(directive.since()).isEqualTo(degradedSince);
                    assertThat(directive.version()).isEqualTo(6);
                });
    }

    @Test
    void aRegionWaitingForItsTargetsExportWithdrawsOnceThatAgentReportsItApplied() {
        own();
        List<ServiceDirective> first = Pending.directives(pending.commit());
        readBackDirectives(first);
        pending.add(shard.replay(health("us", DOWN)));
        List<ServiceDirective> away = Pending.directives(pending.commit());
        readBackDirectives(away);
        ServiceDirective euFirst = first.stream().filter(directive -> directive.region().equals("eu")).findFirst()
                .orElseThrow();

        pending.add(shard.replay(applied(euFirst)));
        List<ServiceDirective> withdrawn = Pending.directives(pending.commit());

        assertThat(away).singleElement().satisfies(directive -> {
            assertThat(directive.annotations()).containsEntry(CiliumServiceConfig.SHARED, "true");
            assertThat(directive.awaiting()).containsExactly("eu");
        });
        assertThat(withdrawn).singleElement().satisfies(directive -> {
            assertThat(directive.region()).isEqualTo("us");
            assertThat(directive.annotations()).containsEntry(CiliumServiceConfig.SHARED, "false");
            assertThat(directive.awaiting()).isEmpty();
        });
        assertThat(shard.replay(new Inbound.Status(origin("meshpilot.eu.status"), "eu", SERVICE, Optional.empty()))
                .isEmpty()).as("a status tombstone decides nothing").isTrue();
    }

    @Test
    void aDeletedPolicyLeavesItsServicesToTheNextOneAndEveryVerdictIsCounted() {
        Counted counted = new Counted();
        ControlPlaneShard counting = new ControlPlaneShard(new ResultTimers(time, pending::add), time, counted,
                CacheTtls.NEVER);
        counting.replay(heartbeatRecord("us"));
        counting.replay(heartbeatRecord("eu"));
        counting.replay(health("us", READY));
        counting.replay(health("eu", READY));
        counting.replay(policy("default/hello-world", "\"mode\": \"remote\""));
        pending.add(counting.own(0));
        List<ServiceDirective> pinned = Pending.directives(pending.commit());
        pinned.forEach(directive -> counting.replay(onTopic(directive)));
        counting.replay(policy("*", "\"mode\": \"sideways\""));

        List<ServiceDirective> unpinned = Pending.directives(counting.replay(new Inbound.Policy(
                origin("meshpilot.policies"), "default/hello-world", Optional.empty())).outputs());

        assertThat(pinned).extracting(ServiceDirective::reason).containsOnly("pinned-by-policy");
        assertThat(unpinned).extracting(ServiceDirective::reason).containsOnly("local-healthy");
        assertThat(counted.policies).containsExactly("accepted", "rejected", "deleted");
    }

    @Test
    void aReplicaKeepsAnsweringPoliciesUntilItIsToldToStop() {
        pending.add(shard.answerPolicies());
        shard.release(List.of(), false);
        assertThat(shard.replay(policy("*", "\"mode\": \"auto\"")).outputs())
                .as("partitions released, policy answers kept").hasSize(1);

        shard.release(List.of(), true);

        assertThat(shard.replay(policy("*", "\"mode\": \"local\"")).outputs()).isEmpty();
    }

    @Test
    void keepsTheLastThousandFlawedRecordsOfAPartitionNoReplicaHereOwns() {
        for (int i = 0; i <= ControlPlaneShard.KEPT_PER_PARTITION; i++) {
            shard.replay(flawed());
        }

        List<Output.DeadLetter> letters = shard.own(0).outputs().stream().filter(Output.DeadLetter.class::isInstance)
                .map(Output.DeadLetter.class::cast).toList();

        assertThat(letters).hasSize(ControlPlaneShard.KEPT_PER_PARTITION);
        assertThat(letters.get(0).origin()).as("the oldest one dropped").hasToString("meshpilot.us.health/0@1");
    }

    @Test
    void aPinEndsAtItsExpiryAndItsServicesAreDecidedAgainUnderTheNextPolicy() {
        pending.add(shard.answerPolicies());
        pending.add(shard.replay(policy("*", "\"mode\": \"remote\", \"expiresAt\": \""
                + time.instant().plusSeconds(30) + "\"")));
        own();
        readBack(pending.commit());

        for (int second = 0; second < 31; second++) {
            time.advance(Duration.ofSeconds(1));
            heartbeat("us");
            heartbeat("eu");
        }
        List<Output> expired = pending.commit();

        assertThat(Pending.directives(expired)).extracting(ServiceDirective::reason).containsOnly("local-healthy");
        assertThat(expired).filteredOn(Output.PolicyAnswer.class::isInstance).singleElement()
                .satisfies(answer -> assertThat(((Output.PolicyAnswer) answer).scope()).isEqualTo("*"));
    }

    @Test
    void aStaleRegionsExportIsReviewedWhenTheOthersCiliumForgetsIt() {
        ControlPlaneShard forgetting = new ControlPlaneShard(new ResultTimers(time, pending::add), time,
                DecisionMetrics.NONE, new CacheTtls(Map.of("eu", Duration.ofMinutes(1))));
        Instant usLastHeard = time.instant();
        forgetting.replay(heartbeatRecord("us"));
        forgetting.replay(heartbeatRecord("eu"));
        forgetting.replay(health("us", READY));
        forgetting.replay(health("eu", READY));
        pending.add(forgetting.own(0));
        pending.commit();

        for (int second = 0; second < 16; second++) {
            time.advance(Duration.ofSeconds(1));
            forgetting.replay(heartbeatRecord("eu"));
        }

        assertThat(forgetting.decisions().decision(SERVICE)).get()
                .satisfies(decision -> assertThat(decision.reviewAt()).contains(usLastHeard.plusSeconds(60)));
    }

    @Test
    void tellsWhatItKnowsToTheViewsAndTheApi() {
        List<ServiceKey> changed = new java.util.ArrayList<>();
        shard.onChange(changed::add);
        heartbeat("us");
        pending.add(shard.replay(health("us", READY)));
        shard.replay(policy("*", "\"mode\": \"local\""));

        assertThat(changed).contains(SERVICE);
        assertThat(shard.world().service(SERVICE)).containsKey("us");
        assertThat(shard.liveness().lastHeard("us")).contains(time.instant());
        assertThat(shard.policies().resolve(SERVICE).mode()).isEqualTo(io.meshpilot.core.decision.Mode.LOCAL);
        assertThat(shard.replay(new Inbound.Ignored(origin("meshpilot.us.status"))).isEmpty()).isTrue();
    }

    /** Which regions a decision sends away. */
    private static final class ServiceDecisionAssert {
        static void awayIn(io.meshpilot.core.decision.ServiceDecision decision, String... regions) {
            assertThat(decision.regions()).filteredOn(io.meshpilot.core.decision.RegionOutcome::away)
                    .extracting(io.meshpilot.core.decision.RegionOutcome::region).containsExactly(regions);
        }
    }

    private void own() {
        heartbeat("us");
        heartbeat("eu");
        pending.add(shard.replay(health("us", READY)));
        pending.add(shard.replay(health("eu", READY)));
        pending.add(shard.own(0));
    }

    private void readBackTombstones(List<Output> outputs) {
        outputs.stream().filter(Output.DirectiveTombstone.class::isInstance).map(Output.DirectiveTombstone.class::cast)
                .forEach(tombstone -> pending.add(shard.replay(new Inbound.Directive(origin("meshpilot."
                        + tombstone.target().region() + ".directives"), tombstone.target().region(), SERVICE,
                        Optional.empty()))));
    }

    private Inbound.Directive onTopic(ServiceDirective directive) {
        return new Inbound.Directive(origin("meshpilot." + directive.region() + ".directives"), directive.region(),
                SERVICE, Optional.of(directive));
    }

    private Inbound.Health gone(String region) {
        return new Inbound.Health(origin("meshpilot." + region + ".health"), region, SERVICE, Optional.empty());
    }

    private Inbound.Status applied(ServiceDirective directive) {
        return new Inbound.Status(origin("meshpilot." + directive.region() + ".status"), directive.region(), SERVICE,
                Optional.of(new DirectiveStatus(directive.region(), directive.namespace(), directive.service(),
                        directive.version(), DirectiveStatus.Result.APPLIED, "applied", time.instant(),
                        "agent-" + directive.region())));
    }

    private static Map<String, String> exporting(Affinity affinity) {
        return CiliumServiceConfig.global(true, affinity).annotations();
    }

    private Inbound.Heartbeat heartbeatRecord(String region) {
        return new Inbound.Heartbeat(origin("meshpilot." + region + ".heartbeat"), region,
                new AgentHeartbeat(region, "agent-" + region, "test", time.instant(), 1, true));
    }

    /** The policy verdicts the shard counts. */
    private static final class Counted implements DecisionMetrics {
        final List<String> policies = new java.util.ArrayList<>();

        @Override
        public void decided(String reason) {
        }

        @Override
        public void failover() {
        }

        @Override
        public void failback() {
        }

        @Override
        public void policy(String result) {
            policies.add(result);
        }

        @Override
        public void staleRegions(int count) {
        }

        @Override
        public void globalOutages(int count) {
        }

        @Override
        public void ownedPartitions(int count) {
        }
    }

    private void readBack(List<Output> outputs) {
        readBackDirectives(Pending.directives(outputs));
    }

    private void readBackDirectives(List<ServiceDirective> directives) {
        directives.forEach(directive -> pending.add(shard.replay(onTopic(directive))));
    }

    private void heartbeat(String region) {
        pending.add(shard.replay(heartbeatRecord(region)));
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
