package io.meshpilot.controlplane.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.decision.MassDegradation;
import io.meshpilot.core.decision.Mode;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 22, point 3: the confirmation window for mass degradation through the real {@link DecisionLoop} with the
 * manual clock. Four Services; more than half of us's degrading within 10 s while its agent heartbeats holds their
 * failovers 30 s from the degradation that crossed the share.
 */
class MassDegradationLoopTest {

    private static final List<String> REGIONS = List.of("ap", "eu", "us");
    private static final List<ServiceKey> SERVICES = List.of(new ServiceKey("default", "a"),
            new ServiceKey("default", "b"), new ServiceKey("default", "c"), new ServiceKey("shop", "d"));
    private static final Duration CONFIRM = Duration.ofSeconds(30);

    @Test
    void aBadMeasurementThatClearsWithinTheWindowFailsNothingOver() {
        ManyServices mesh = new ManyServices(policy(), SERVICES, REGIONS);
        List<ServiceDirective> us = publishedFor(mesh, "us");
        mesh.pass(Duration.ofSeconds(5));

        SERVICES.forEach(service -> mesh.health(service, "us", 0));
        mesh.pass(Duration.ofSeconds(10));
        assertThat(mesh.inForce.values()).allSatisfy(byRegion -> assertThat(byRegion.get("us").reason())
                .isEqualTo("confirming-mass-degradation"));
        SERVICES.forEach(service -> mesh.health(service, "us", 3));
        mesh.settle();
        mesh.pass(Duration.ofSeconds(60));

        assertThat(us).as("no failover out of us").noneMatch(directive -> "remote".equals(directive.annotations()
                .get("service.cilium.io/affinity")));
        SERVICES.forEach(service -> assertThat(mesh.reasons(service)).containsEntry("us", "local-healthy"));
    }

    @Test
    void anOutageThatLastsFailsOverWhenTheWindowEnds() {
        ManyServices mesh = new ManyServices(policy(), SERVICES, REGIONS);
        mesh.pass(Duration.ofSeconds(5));
        Instant degraded = mesh.time.instant();

        SERVICES.forEach(service -> mesh.health(service, "us", 0));
        mesh.settle();
        mesh.pass(CONFIRM.minusSeconds(1));
        assertThat(mesh.reasons(SERVICES.get(3))).containsEntry("us", "confirming-mass-degradation");

        mesh.pass(Duration.ofSeconds(2));
        mesh.settle();
        for (ServiceKey service : SERVICES) {
            ServiceDirective us = mesh.inForce.get(service).get("us");
            assertThat(us.reason()).isEqualTo("local-degraded");
            assertThat(us.annotations()).containsEntry("service.cilium.io/affinity", "remote");
            assertThat(us.decidedAt()).isAfterOrEqualTo(degraded.plus(CONFIRM));
        }
    }

    @Test
    void aFewServicesDegradingFailOverAfterTheirDelayOnly() {
        ManyServices mesh = new ManyServices(policy(), SERVICES, REGIONS);
        mesh.pass(Duration.ofSeconds(5));

        mesh.health(SERVICES.get(0), "us", 0);
        mesh.health(SERVICES.get(1), "us", 0);
        mesh.pass(Duration.ofSeconds(3));

        assertThat(mesh.reasons(SERVICES.get(0))).as("2 of 4 is not more than half").containsEntry("us",
                "local-degraded");
        assertThat(mesh.reasons(SERVICES.get(1))).containsEntry("us", "local-degraded");
    }

    @Test
    void degradationsSpreadOverMoreThanTheWindowAreNotAMassDegradation() {
        ManyServices mesh = new ManyServices(policy(), SERVICES, REGIONS);
        mesh.pass(Duration.ofSeconds(5));

        for (ServiceKey service : SERVICES) {
            mesh.health(service, "us", 0);
            mesh.pass(Duration.ofSeconds(11));
        }

        SERVICES.forEach(service -> assertThat(mesh.reasons(service)).containsEntry("us", "local-degraded"));
    }

    private static List<ServiceDirective> publishedFor(ManyServices mesh, String region) {
        List<ServiceDirective> published = new ArrayList<>();
        mesh.onPublished = directive -> {
            if (directive.region().equals(region)) {
                published.add(directive);
            }
        };
        return published;
    }

    private static Policy policy() {
        return new Policy("*", Mode.AUTO, 2, 0.0, Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(15), List.of(), 0, Set.of(), Duration.ZERO, 1.0, 0, 0,
                new MassDegradation(0.5, Duration.ofSeconds(10), CONFIRM));
    }
}
