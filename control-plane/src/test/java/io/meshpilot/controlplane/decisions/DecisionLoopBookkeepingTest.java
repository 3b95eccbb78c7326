package io.meshpilot.controlplane.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.shard.DecisionMetrics;
import io.meshpilot.controlplane.shard.Output;
import io.meshpilot.controlplane.shard.Pending;
import io.meshpilot.controlplane.shard.Result;
import io.meshpilot.controlplane.shard.ResultTimers;
import io.meshpilot.controlplane.world.RegionLiveness;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.core.decision.Mode;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.RegionState;
import io.meshpilot.core.routing.Affinity;
import io.meshpilot.core.routing.CacheTtls;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.Decision;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.testing.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the decision loop keeps and counts around its decisions: versions, flights, timers, tombstones, metrics. */
class DecisionLoopBookkeepingTest {

    private static final ServiceKey SERVICE = new ServiceKey("default", "hello-world");
    private static final ServiceKey OTHER = new ServiceKey("shop", "cart");
    private static final EndpointCounts READY = new EndpointCounts(2, 2, 0, 2, 2);
    private static final EndpointCounts DOWN = new EndpointCounts(0, 0, 0, 0, 2);

    private final ManualTime time = new ManualTime(Instant.parse("2026-11-25T12:00:00Z"));
    private final WorldModel world = new WorldModel();
    private final RegionLiveness liveness = new RegionLiveness();
    private final PolicyBook policies = new PolicyBook();
    private final Pending pending = new Pending();
    private final ResultTimers timers = new ResultTimers(time, pending::add);
    private final Counted counted = new Counted();
    private DecisionLoop loop;

    @BeforeEach
    void start() {
        loop = new DecisionLoop(world, liveness, policies, timers, time, counted);
        policies.accept("*", policy("*", Duration.ZERO));
        heartbeat("us");
        heartbeat("eu");
        health(SERVICE, "us", READY);
        health(SERVICE, "eu", READY);
    }

    @Test
    void ownsAPartitionOnceAndSaysHowManyItOwns() {
        Result first = loop.own(0);

        assertThat(Pending.directives(first.outputs())).hasSize(2);
        assertThat(loop.own(0).isEmpty()).isTrue();
        assertThat(loop.owns(0)).isTrue();
        assertThat(loop.owns(1)).isFalse();
        assertThat(loop.ownedPartitions()).containsExactly(0);
        assertThat(counted.owned).isEqualTo(1);
        loop.disown(1);
        assertThat(counted.owned).isEqualTo(1);
        loop.disown(0);
        assertThat(counted.owned).isZero();
        assertThat(loop.ownedPartitions()).isEmpty();
    }

    @Test
    void aLargePartitionIsDecidedAChunkPerTaskSoTheLoopIsNeverBlockedForLong() {
        for (int i = 0; i < 1_200; i++) {
            ServiceKey service = new ServiceKey("fleet", "svc-" + i);
            health(service, "us", READY);
            health(service, "eu", READY);
        }

        Result first = loop.own(0);
        time.runDue();
        List<Output> rest = pending.commit();

        assertThat(decisionLogs(first.outputs())).isEqualTo(DecisionLoop.CHUNK);
        assertThat(decisionLogs(first.outputs()) + decisionLogs(rest)).isEqualTo(1_201);
        assertThat(timers.pending()).as("no backlog timer left").isLessThanOrEqualTo(3);
    }

    @Test
    void aChunkHoldsAboutAsManyServiceRegionsWhateverTheRegions() {
        assertThat(DecisionLoop.chunk(1)).isEqualTo(DecisionLoop.CHUNK);
        assertThat(DecisionLoop.chunk(3)).isEqualTo(DecisionLoop.CHUNK);
        assertThat(DecisionLoop.chunk(30)).isEqualTo(50);
        assertThat(DecisionLoop.chunk(255)).isEqualTo(5);
        assertThat(DecisionLoop.chunk(5_000)).isEqualTo(1);
    }

    @Test
    void aTaskThatTakesOverAPartitionAndHearsARegionAgainDecidesOneChunkNotOneForEach() {
        for (int i = 0; i < 1_200; i++) {
            ServiceKey service = new ServiceKey("fleet", "svc-" + i);
            health(service, "us", READY);
            health(service, "eu", READY);
        }

        Result owned = loop.own(0);
        Result heard = loop.heard("us", Optional.empty());
        Result heardToo = loop.heard("eu", Optional.empty());

        assertThat(decisionLogs(owned.outputs())).isEqualTo(DecisionLoop.CHUNK);
        assertThat(decisionLogs(heard.outputs()) + decisionLogs(heardToo.outputs()))
                .as("joined the backlog, decided in later tasks").isZero();
        time.runDue();
        assertThat(decisionLogs(owned.outputs()) + decisionLogs(pending.commit()))
                .as("every Service decided, those of the first chunk again with no change").isEqualTo(1_201);
    }

    private static long decisionLogs(List<Output> outputs) {
        return outputs.stream().filter(Output.DecisionLog.class::isInstance).count();
    }

    @Test
    void countsWhatCommittedNotWhatWasDecided() {
        pending.add(loop.own(0));
        settle();
        assertThat(counted.decided).containsOnly("local-healthy");

        pending.add(loop.changed(health(SERVICE, "us", DOWN)));
        pending.abort();
        assertThat(counted.failovers).as("aborted: not counted").isZero();
        settle();
        assertThat(counted.decided).contains("local-degraded");
        assertThat(counted.failovers).isEqualTo(1);

        pending.add(loop.changed(health(SERVICE, "us", READY)));
        settle();
        assertThat(counted.failbacks).as("failback pending").isZero();
        for (int second = 0; second < 31; second++) {
            time.advance(Duration.ofSeconds(1));
            heartbeat("us");
            heartbeat("eu");
        }
        settle();
        assertThat(counted.failbacks).isEqualTo(1);
        assertThat(counted.failovers).isEqualTo(1);
    }

    @Test
    void versionsRiseAboveWhatIsInForceAndInFlightInAnyRegion() {
        pending.add(loop.own(0));
        List<ServiceDirective> first = Pending.directives(pending.commit());
        assertThat(first).extracting(ServiceDirective::version).containsOnly(1L);

        pending.add(loop.changed(health(SERVICE, "us", DOWN)));
        List<ServiceDirective> inFlight = Pending.directives(pending.commit());
        pending.add(loop.changed(health(SERVICE, "us", READY)));
        List<ServiceDirective> next = Pending.directives(pending.commit());

        assertThat(inFlight).extracting(ServiceDirective::version).containsOnly(2L);
        assertThat(next).extracting(ServiceDirective::version).containsOnly(3L);
    }

    @Test
    void aDirectiveReadBackIsNoLongerInFlightButAnOlderOneReadBackChangesNothing() {
        pending.add(loop.own(0));
        List<ServiceDirective> first = Pending.directives(pending.commit());
        readBackDirectives(first);
        pending.add(loop.changed(health(SERVICE, "us", DOWN)));
        ServiceDirective away = Pending.directives(pending.commit()).get(0);

        loop.observed(first.stream().filter(directive -> directive.region().equals("us")).findFirst()
                .orElseThrow());
        pending.add(loop.changed(SERVICE));

        assertThat(pending.commit()).as("the newer one is still the one in flight: nothing differs").isEmpty();
        assertThat(away.version()).isEqualTo(2);
    }

    @Test
    void aRegionWhereTheServiceIsGoneLosesItsDirectiveOnceAndAgainIfThatAborts() {
        pending.add(loop.own(0));
        readBack(pending.commit());
        world.health(SERVICE, "eu", 0, null);

        pending.add(loop.changed(SERVICE));
        pending.add(loop.changed(SERVICE));
        List<Output> aborted = pending.abort();
        List<Output> again = pending.commit();

        assertThat(aborted).filteredOn(Output.DirectiveTombstone.class::isInstance).hasSize(1);
        assertThat(again).filteredOn(Output.DirectiveTombstone.class::isInstance).singleElement()
                .isEqualTo(new Output.DirectiveTombstone(0, new ServiceRegion(SERVICE, "eu")));
        pending.add(loop.changed(SERVICE));
        assertThat(pending.commit()).filteredOn(Output.DirectiveTombstone.class::isInstance)
                .as("in flight still").isEmpty();
        world.directive(SERVICE, "eu", 0, null);
        loop.observedWithdrawal(SERVICE, "eu");
        pending.add(loop.changed(SERVICE));
        assertThat(pending.commit()).filteredOn(Output.DirectiveTombstone.class::isInstance).isEmpty();
    }

    @Test
    void theAuditRecordNamesThePolicyAndEveryRegionsOutcomeAndVersion() {
        pending.add(loop.own(0));

        Decision decision = pending.commit().stream().filter(Output.DecisionLog.class::isInstance)
                .map(output -> ((Output.DecisionLog) output).decision()).findFirst().orElseThrow();

        assertThat(decision.namespace()).isEqualTo("default");
        assertThat(decision.service()).isEqualTo("hello-world");
        assertThat(decision.decidedAt()).isEqualTo(time.instant());
        assertThat(decision.policyScope()).isEqualTo("*");
        assertThat(decision.globalOutage()).isFalse();
        assertThat(decision.regions()).extracting(Decision.RegionDecision::region,
                Decision.RegionDecision::version)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("eu", 1L),
                        org.assertj.core.groups.Tuple.tuple("us", 1L));
    }

    @Test
    void aGlobalOutageIsCountedWhileItLastsAndForgottenWithThePartition() {
        pending.add(loop.own(0));
        readBack(pending.commit());
        pending.add(loop.changed(health(SERVICE, "us", DOWN)));
        pending.add(loop.changed(health(SERVICE, "eu", DOWN)));
        readBack(pending.commit());
        assertThat(counted.globalOutages).isEqualTo(1);
        assertThat(loop.decision(SERVICE)).get().satisfies(decision -> assertThat(decision.globalOutage()).isTrue());

        pending.add(loop.changed(health(SERVICE, "eu", READY)));
        pending.commit();
        assertThat(counted.globalOutages).isZero();
        pending.add(loop.changed(health(SERVICE, "eu", DOWN)));
        pending.commit();
        loop.disown(0);
        assertThat(counted.globalOutages).isZero();
        assertThat(loop.decision(SERVICE)).isEmpty();
    }

    @Test
    void aPolicyChangeDecidesOnlyWhatItCovers() {
        health(OTHER, "us", READY);
        health(OTHER, "eu", READY);
        pending.add(loop.own(0));
        readBack(pending.commit());
        policies.accept("shop/cart", new Policy("shop/cart", Mode.REMOTE, 1, 0, Duration.ZERO,
                Duration.ofSeconds(30), Duration.ofSeconds(15), List.of(), 0, Set.of()));

        List<ServiceDirective> changed = Pending.directives(loop.policyChanged("shop/cart").outputs());

        assertThat(changed).isNotEmpty().extracting(ServiceDirective::key).containsOnly(OTHER);
        assertThat(loop.ownedServices(service -> service.namespace().equals("shop"))).containsExactly(OTHER);
        assertThat(loop.ownedServices(service -> true)).containsExactly(SERVICE, OTHER);
    }

    @Test
    void aRegionHeardAgainAfterFallingSilentIsDecidedAgainButAHeartbeatOnTimeIsNot() {
        pending.add(loop.own(0));
        settle();
        policies.accept("*", new Policy("*", Mode.REMOTE, 1, 0, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of()));

        assertThat(loop.heard("us", Optional.of(time.instant().minusSeconds(15))).isEmpty())
                .as("heard within staleAfter: not decided again").isTrue();
        assertThat(Pending.directives(loop.heard("us", Optional.of(time.instant().minusSeconds(16))).outputs()))
                .as("silent longer than staleAfter: decided again, under the policy now in force")
                .extracting(ServiceDirective::reason).contains("pinned-by-policy");
    }

    @Test
    void aRegionNeverHeardBeforeIsDecidedWhenFirstHeard() {
        pending.add(loop.own(0));
        settle();
        policies.accept("*", new Policy("*", Mode.REMOTE, 1, 0, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(15), List.of(), 0, Set.of()));

        assertThat(Pending.directives(loop.heard("us", Optional.empty()).outputs())).isNotEmpty();
    }

    @Test
    void aSilentRegionIsCountedStaleWhenItsSilenceTimerFires() {
        pending.add(loop.own(0));
        readBack(pending.commit());
        assertThat(counted.stale).isZero();

        time.advance(Duration.ofSeconds(16));

        assertThat(counted.stale).isEqualTo(2);
        assertThat(Pending.directives(pending.commit())).as("both regions silent: held, nothing new").isEmpty();
    }

    @Test
    void aDirectiveThatWithdrawsAnExportIsInFlightUntilItsAgentAppliesIt() {
        policies.accept("*", policy("*", Duration.ZERO));
        pending.add(loop.own(0));
        List<ServiceDirective> first = Pending.directives(pending.commit());
        readBackDirectives(first);
        first.forEach(this::applied);
        pending.add(loop.changed(SERVICE));
        pending.commit();

        pending.add(loop.changed(health(SERVICE, "us", DOWN)));
        List<ServiceDirective> away = Pending.directives(pending.commit());
        readBackDirectives(away);

        assertThat(away).singleElement().satisfies(directive -> assertThat(directive.region()).isEqualTo("us"));
        assertThat(loop.decision(SERVICE)).isPresent();
        assertThat(timers.pending()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aCacheTtlOfZeroMeansForEver() {
        loop.cacheTtls(new CacheTtls(Map.of("eu", Duration.ofMinutes(1), "us", Duration.ZERO)));
        pending.add(loop.own(0));

        assertThat(Pending.directives(pending.commit())).hasSize(2);
    }

    @Test
    void countsAsStaleOnlyTheRegionsNotHeardWithinStaleAfter() {
        pending.add(loop.own(0));
        readBack(pending.commit());

        for (int second = 0; second < 16; second++) {
            time.advance(Duration.ofSeconds(1));
            heartbeat("us");
        }

        assertThat(counted.stale).isEqualTo(1);
    }

    @Test
    void listsOnlyTheServicesOfOwnedPartitions() {
        world.health(OTHER, "us", 1, new ServiceHealth("us", OTHER.namespace(), OTHER.name(), READY, time.instant(),
                "agent-us"));

        loop.own(0);

        assertThat(loop.ownedServices(service -> true)).containsExactly(SERVICE);
    }

    @Test
    void aPolicyForOneServiceDecidesItAtOnceAndQueuesNoneOfTheOthers() {
        for (int i = 0; i < 1_200; i++) {
            health(new ServiceKey("fleet", "svc-" + i), "us", READY);
        }
        health(OTHER, "us", READY);
        pending.add(loop.own(0));
        time.runDue();
        pending.commit();
        int idle = timers.pending();
        policies.accept("shop/cart", new Policy("shop/cart", Mode.REMOTE, 1, 0, Duration.ZERO,
                Duration.ofSeconds(30), Duration.ofSeconds(15), List.of(), 0, Set.of()));

        Result changed = loop.policyChanged("shop/cart");

        assertThat(Pending.directives(changed.outputs())).isNotEmpty().extracting(ServiceDirective::key)
                .containsOnly(OTHER);
        assertThat(timers.pending()).as("no backlog of the fleet").isEqualTo(idle);
    }

    @Test
    void aReviewTimeNoLongerNeededIsCancelledAndSoIsEveryOneOfAReleasedPartition() {
        policies.accept("*", policy("*", Duration.ofSeconds(10)));
        pending.add(loop.own(0));
        readBack(pending.commit());
        int idle = timers.pending();

        pending.add(loop.changed(health(SERVICE, "us", DOWN)));
        readBack(pending.commit());
        assertThat(timers.pending()).as("the end of the failover delay").isEqualTo(idle + 1);
        pending.add(loop.changed(health(SERVICE, "us", READY)));
        readBack(pending.commit());
        assertThat(timers.pending()).as("recovered in time: nothing to wait for").isEqualTo(idle);

        pending.add(loop.changed(health(SERVICE, "us", DOWN)));
        readBack(pending.commit());
        loop.disown(0);
        assertThat(timers.pending()).as("released: no review left").isEqualTo(idle);
    }

    @Test
    void aShorterStaleAfterInAPolicyMakesASilentRegionStaleWhenItRunsOut() {
        pending.add(loop.own(0));
        readBack(pending.commit());
        time.advance(Duration.ofSeconds(1));
        heartbeat("us");
        policies.accept("*", new Policy("*", Mode.AUTO, 1, 0, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofSeconds(5), List.of(), 0, Set.of()));
        pending.add(loop.policyChanged("*"));

        for (int second = 0; second < 5; second++) {
            time.advance(Duration.ofSeconds(1));
            heartbeat("us");
        }

        assertThat(loop.decision(SERVICE).flatMap(decision -> decision.region("eu"))).get()
                .satisfies(eu -> assertThat(eu.state()).isEqualTo(RegionState.STALE));
    }

    @Test
    void aSilenceTimerForAStaleAfterNoPolicyHasAnyMoreIsCancelled() {
        policies.accept("*", new Policy("*", Mode.AUTO, 1, 0, Duration.ZERO, Duration.ofSeconds(30),
                Duration.ofMinutes(1), List.of(), 0, Set.of()));
        pending.add(loop.policyChanged("*"));
        pending.add(loop.own(0));
        readBack(pending.commit());
        time.advance(Duration.ofSeconds(20));
        readBack(pending.commit());
        int waiting = timers.pending();

        policies.delete("*");
        pending.add(loop.policyChanged("*"));

        assertThat(timers.pending()).as("both regions silent past the 15 s left in force").isEqualTo(waiting - 2);
    }

    @Test
    void anAbortedDirectiveLeavesTheOtherRegionsDirectivesInFlight() {
        pending.add(loop.own(0));
        pending.commit();
        pending.add(loop.changed(health(SERVICE, "us", DOWN)));
        List<ServiceDirective> aborted = Pending.directives(pending.abort());

        List<ServiceDirective> again = Pending.directives(pending.commit());

        assertThat(aborted).extracting(ServiceDirective::region).containsExactly("us");
        assertThat(again).as("eu's first directive is still on its way").extracting(ServiceDirective::region)
                .containsExactly("us");
    }

    @Test
    void anAbortAfterThePartitionWasReleasedPublishesNothing() {
        pending.add(loop.own(0));
        loop.disown(0);

        pending.abort();

        assertThat(pending.commit()).isEmpty();
    }

    @Test
    void aWithdrawalOnTheTopicThatItsAgentHasNotAppliedIsNotReliedOnWhoeverPublishedIt() {
        pending.add(loop.own(0));
        settle();
        ServiceDirective late = new ServiceDirective("us", SERVICE.namespace(), SERVICE.name(), 2,
                CiliumServiceConfig.global(false, Affinity.REMOTE).annotations(), "local-degraded", time.instant());
        world.directive(SERVICE, "us", 0, late);
        loop.observed(late);

        pending.add(loop.changed(health(SERVICE, "eu", DOWN)));

        assertThat(Pending.directives(pending.commit())).filteredOn(directive -> directive.region().equals("eu"))
                .singleElement().satisfies(eu -> {
                    assertThat(eu.annotations()).containsEntry(CiliumServiceConfig.SHARED, "true");
                    assertThat(eu.awaiting()).containsExactly("us");
                });
    }

    @Test
    void aWithdrawalItsAgentReportsAppliedBeforeItIsReadBackIsNotTakenForTheExportBeforeIt() {
        pending.add(loop.own(0));
        settle();
        pending.add(loop.changed(health(SERVICE, "us", DOWN)));
        ServiceDirective withdrawal = Pending.directives(pending.commit()).get(0);
        applied(withdrawal);
        world.health(SERVICE, "eu", 0, new ServiceHealth("eu", SERVICE.namespace(), SERVICE.name(), DOWN,
                time.instant(), "agent-eu"));

        pending.add(loop.changed(health(SERVICE, "us", READY)));

        assertThat(withdrawal.annotations()).containsEntry(CiliumServiceConfig.SHARED, "false");
        assertThat(Pending.directives(pending.commit())).filteredOn(directive -> directive.region().equals("eu"))
                .as("us's new export is not applied yet: eu keeps exporting until it is").singleElement()
                .satisfies(eu -> {
                    assertThat(eu.annotations()).containsEntry(CiliumServiceConfig.SHARED, "true");
                    assertThat(eu.awaiting()).containsExactly("us");
                });
    }

    @Test
    void anExportItsAgentReportsAppliedBeforeItIsReadBackIsReliedOn() {
        pending.add(loop.own(0));
        List<ServiceDirective> first = Pending.directives(pending.commit());
        first.forEach(this::applied);

        pending.add(loop.changed(health(SERVICE, "us", DOWN)));

        assertThat(Pending.directives(pending.commit())).singleElement().satisfies(us -> {
            assertThat(us.region()).isEqualTo("us");
            assertThat(us.annotations()).containsEntry(CiliumServiceConfig.SHARED, "false");
            assertThat(us.awaiting()).isEmpty();
        });
    }

    private Policy policy(String scope, Duration failover) {
        return new Policy(scope, Mode.AUTO, 1, 0, failover, Duration.ofSeconds(30), Duration.ofSeconds(15),
                List.of(), 0, Set.of());
    }

    private ServiceKey health(ServiceKey service, String region, EndpointCounts counts) {
        world.health(service, region, 0, new ServiceHealth(region, service.namespace(), service.name(), counts,
                time.instant(), "agent-" + region));
        return service;
    }

    private void heartbeat(String region) {
        pending.add(loop.heard(region, liveness.heard(new AgentHeartbeat(region, "agent-" + region, "test",
                time.instant(), 1, true), time.instant())));
    }

    private void applied(ServiceDirective directive) {
        world.status(directive.key(), directive.region(), 0, new DirectiveStatus(directive.region(),
                directive.namespace(), directive.service(), directive.version(), DirectiveStatus.Result.APPLIED,
                "applied", time.instant(), "agent-" + directive.region()));
    }

    /** The agents apply and report every directive until the loop publishes nothing new. */
    private void settle() {
        for (int round = 0; round < 10; round++) {
            List<ServiceDirective> published = Pending.directives(pending.commit());
            if (published.isEmpty()) {
                return;
            }
            readBackDirectives(published);
            published.forEach(this::applied);
            pending.add(loop.changed(SERVICE));
        }
        throw new AssertionError("the loop kept publishing");
    }

    private void readBack(List<Output> outputs) {
        readBackDirectives(Pending.directives(outputs));
    }

    private void readBackDirectives(List<ServiceDirective> directives) {
        directives.forEach(directive -> {
            world.directive(directive.key(), directive.region(), 0, directive);
            loop.observed(directive);
        });
    }

    /** The counts the loop reports, as the metrics would show them. */
    private static final class Counted implements DecisionMetrics {
        final List<String> decided = new ArrayList<>();
        int failovers;
        int failbacks;
        int stale;
        int globalOutages;
        int owned;

        @Override
        public void decided(String reason) {
            decided.add(reason);
        }

        @Override
        public void failover() {
            failovers++;
        }

        @Override
        public void failback() {
            failbacks++;
        }

        @Override
        public void policy(String result) {
        }

        @Override
        public void staleRegions(int count) {
            stale = count;
        }

        @Override
        public void globalOutages(int count) {
            globalOutages = count;
        }

        @Override
        public void ownedPartitions(int count) {
            owned = count;
        }
    }
}
