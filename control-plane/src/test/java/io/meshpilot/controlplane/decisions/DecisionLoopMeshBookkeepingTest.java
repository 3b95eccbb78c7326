package io.meshpilot.controlplane.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.decision.Mode;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.schemas.Decision;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the {@link DecisionLoop} keeps across decisions, through the real loop with the manual clock: the regions
 * withdrawn as directives are read back (any replica's), when a failover was detected, and nothing of a released
 * partition's incidents.
 */
class DecisionLoopMeshBookkeepingTest {

    private static final ServiceKey SERVICE = new ServiceKey("default", "hello-world");
    private static final ServiceKey FOREIGN = new ServiceKey("shop", "search");

    @Test
    void aDirectiveOfAnotherReplicaReadBackCountsItsRegionWithdrawnUntilItsTombstone() {
        ManyServices mesh = new ManyServices(policy(Duration.ZERO), List.of(SERVICE), List.of("eu", "us"));
        assertThat(mesh.loop.withdrawnRegions()).isEmpty();

        ServiceDirective withdrawing = new ServiceDirective("ap", FOREIGN.namespace(), FOREIGN.name(), 7, Map.of(
                "service.cilium.io/global", "true", "service.cilium.io/shared", "false"), "local-degraded",
                mesh.time.instant());
        mesh.world.directive(FOREIGN, "ap", 0, withdrawing);
        mesh.loop.observed(withdrawing);
        assertThat(mesh.loop.withdrawnRegions()).containsExactly("ap");

        mesh.world.directive(FOREIGN, "ap", 0, null);
        mesh.loop.observedWithdrawal(FOREIGN, "ap");
        assertThat(mesh.loop.withdrawnRegions()).isEmpty();
    }

    @Test
    void theRegionsWithdrawnFollowTheDirectivesPublished() {
        ManyServices mesh = new ManyServices(policy(Duration.ZERO), List.of(SERVICE), List.of("eu", "us"));
        mesh.health(SERVICE, "us", 0);
        mesh.settle();
        assertThat(mesh.loop.withdrawnRegions()).containsExactly("us");
    }

    @Test
    void aFailoverIsDetectedByTheFirstHealthRecordThatShowedTheRegionDegraded() {
        ManyServices mesh = new ManyServices(policy(Duration.ofSeconds(3)), List.of(SERVICE), List.of("eu", "us"));
        mesh.pass(Duration.ofSeconds(5));
        Instant detected = mesh.time.instant();
        mesh.health(SERVICE, "us", 0);
        mesh.pass(Duration.ofSeconds(1));
        mesh.health(SERVICE, "us", 0);
        mesh.pass(Duration.ofSeconds(4));
        mesh.settle();

        List<Decision.Incident> reported = incidents(mesh);
        assertThat(reported).extracting(Decision.Incident::kind).containsExactly("failover");
        assertThat(reported.get(0).detectedAt()).isEqualTo(detected);
        assertThat(reported.get(0).decidedAt()).isAfter(detected.plusSeconds(2));
    }

    @Test
    void aReleasedPartitionsIncidentsAreForgotten() {
        ManyServices mesh = new ManyServices(policy(Duration.ZERO), List.of(SERVICE), List.of("eu", "us"));
        mesh.pass(Duration.ofSeconds(5));
        mesh.health(SERVICE, "us", 0);
        assertThat(incidents(mesh)).isEmpty();

        mesh.loop.disown(0);
        mesh.pass(Duration.ofSeconds(2));
        Instant owned = mesh.time.instant();
        mesh.health(SERVICE, "us", 0);
        mesh.pending.add(mesh.loop.own(0));
        mesh.deliver();
        mesh.settle();

        assertThat(incidents(mesh)).as("only the failover decided since the partition was owned again")
                .allSatisfy(incident -> assertThat(incident.decidedAt()).isAfterOrEqualTo(owned));
    }

    private static List<Decision.Incident> incidents(ManyServices mesh) {
        return mesh.decisionLog.stream().map(Decision::incident).filter(incident -> incident != null).toList();
    }

    private static Policy policy(Duration failoverDelay) {
        return new Policy("*", Mode.AUTO, 2, 0.0, failoverDelay, Duration.ofSeconds(5), Duration.ofSeconds(15),
                List.of(), 0, Set.of());
    }
}
