package io.meshpilot.controlplane.practice;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.schemas.PracticeRunStatus;
import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 22, point 2: practice runs through the real shard with the manual clock, the agents applying each directive a
 * second after it is read back: the drain and the failback measured per Service and region and reported on the
 * status topic, and every reason a run is rejected, refused or aborted.
 */
class PracticeRunsTest {

    private static final ServiceKey HELLO = new ServiceKey("default", "hello-world");
    private static final ServiceKey ECHO = new ServiceKey("default", "echo");
    private static final String FAST_FAILBACK = ",\"failbackDelaySeconds\":5";

    @Test
    void aRunDrainsTheRegionForItsWindowAndReportsTheDrainAndTheFailbackPerServiceAndRegion() {
        PracticeMesh mesh = new PracticeMesh(List.of("eu", "us"), List.of(HELLO, ECHO), FAST_FAILBACK);

        mesh.run("drill", ",\"region\":\"us\",\"durationSeconds\":20");
        assertThat(mesh.last("drill").phase()).isEqualTo("running");
        assertThat(mesh.reason(HELLO, "us")).isEqualTo("drained");
        mesh.pass(Duration.ofSeconds(3));
        PracticeRunStatus drained = mesh.last("drill");
        assertThat(drained.phase()).isEqualTo("running");
        assertThat(drained.drainSeconds()).as("applied a second after the drain began").isEqualTo(1.0);
        assertThat(drained.services()).extracting(PracticeRunStatus.ServiceReport::service)
                .containsExactly("echo", "hello-world");

        mesh.pass(Duration.ofSeconds(17));
        assertThat(mesh.last("drill").phase()).isEqualTo("failing-back");
        assertThat(mesh.reason(HELLO, "us")).isEqualTo("failback-pending");
        mesh.pass(Duration.ofSeconds(10));

        PracticeRunStatus report = mesh.last("drill");
        assertThat(report.phase()).isEqualTo("completed");
        assertThat(report.reason()).isNull();
        assertThat(report.startedAt()).isEqualTo(PracticeMesh.START);
        assertThat(report.endedAt()).isEqualTo(PracticeMesh.START.plusSeconds(20));
        assertThat(report.failbackSeconds()).as("the failback delay, then a second to apply").isEqualTo(6.0);
        PracticeRunStatus.ServiceReport hello = report.services().stream()
                .filter(service -> service.service().equals("hello-world")).findFirst().orElseThrow();
        assertThat(hello.drain()).extracting(PracticeRunStatus.RegionTime::region).contains("us");
        assertThat(hello.drain()).allSatisfy(region -> assertThat(region.seconds()).isEqualTo(1.0));
        assertThat(hello.failback()).extracting(PracticeRunStatus.RegionTime::region).contains("us");
        assertThat(mesh.reason(HELLO, "us")).isEqualTo("local-healthy");
        assertThat(mesh.ended).containsEntry("completed", 1);
        assertThat(mesh.drains).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(mesh.failbacks).containsExactly(Duration.ofSeconds(6), Duration.ofSeconds(6));
    }

    @Test
    void aRunCoversOnlyTheServicesOfItsScopes() {
        PracticeMesh mesh = new PracticeMesh(List.of("eu", "us"), List.of(HELLO, ECHO), FAST_FAILBACK);

        mesh.run("drill", ",\"region\":\"us\",\"durationSeconds\":5,\"services\":[\"default/echo\"]");

        assertThat(mesh.reason(ECHO, "us")).isEqualTo("drained");
        assertThat(mesh.reason(HELLO, "us")).isEqualTo("local-healthy");
        mesh.pass(Duration.ofSeconds(20));
        assertThat(mesh.last("drill").services()).extracting(PracticeRunStatus.ServiceReport::service)
                .containsExactly("echo");
    }

    @Test
    void aRunIsRefusedWhileARealIncidentIsOpenAndDrainsNothing() {
        PracticeMesh mesh = new PracticeMesh(List.of("eu", "us"), List.of(HELLO, ECHO), FAST_FAILBACK);
        mesh.health(ECHO, "eu", 0);

        mesh.run("drill", ",\"region\":\"us\",\"durationSeconds\":20");

        PracticeRunStatus status = mesh.last("drill");
        assertThat(status.phase()).isEqualTo("refused");
        assertThat(status.reason()).isEqualTo("incident-open");
        assertThat(status.detail()).contains("eu", "default/echo");
        assertThat(mesh.published).extracting(directive -> directive.reason()).doesNotContain("drained");
        assertThat(mesh.ended).containsEntry("refused", 1);
    }

    @Test
    void aRunOutsideItsAllowedHoursIsRefusedAndOneScheduledWithinThemStartsAtItsTime() {
        PracticeMesh mesh = new PracticeMesh(List.of("eu", "us"), List.of(HELLO), FAST_FAILBACK);

        mesh.run("late", ",\"region\":\"us\",\"durationSeconds\":60,\"allowedHours\":\"08:00-09:00\"");
        mesh.run("later", ",\"region\":\"us\",\"durationSeconds\":60,\"startAt\":\"2026-12-02T12:30:00Z\","
                + "\"allowedHours\":\"13:00-14:00\",\"timeZone\":\"Europe/Berlin\"");

        assertThat(mesh.last("late").phase()).isEqualTo("refused");
        assertThat(mesh.last("late").reason()).isEqualTo("outside-allowed-hours");
        assertThat(mesh.last("later").phase()).as("13:30 in Berlin").isEqualTo("scheduled");
        assertThat(mesh.reason(HELLO, "us")).isEqualTo("local-healthy");
        mesh.pass(Duration.ofMinutes(30));
        assertThat(mesh.last("later").phase()).isEqualTo("running");
        assertThat(mesh.last("later").startedAt()).isEqualTo(PracticeMesh.START.plusSeconds(1800));
        assertThat(mesh.reason(HELLO, "us")).isEqualTo("drained");
    }

    @Test
    void anotherRegionDegradingAbortsTheRunAndLiftsTheDrainAtOnce() {
        PracticeMesh mesh = new PracticeMesh(List.of("eu", "us", "ap"), List.of(HELLO), FAST_FAILBACK);
        mesh.run("drill", ",\"region\":\"us\",\"durationSeconds\":60");
        mesh.pass(Duration.ofSeconds(3));

        mesh.health(HELLO, "eu", 0);

        assertThat(mesh.last("drill").phase()).isEqualTo("failing-back");
        assertThat(mesh.last("drill").reason()).isEqualTo("region-degraded");
        assertThat(mesh.last("drill").detail()).startsWith("eu degraded");
        assertThat(mesh.reason(HELLO, "us")).isNotEqualTo("drained");
        mesh.pass(Duration.ofSeconds(10));
        assertThat(mesh.last("drill").phase()).isEqualTo("aborted");
        assertThat(mesh.last("drill").drainSeconds()).isEqualTo(1.0);
        assertThat(mesh.ended).containsEntry("aborted", 1);
    }

    @Test
    void aDrainASafetyRuleHoldsAbortsTheRun() {
        PracticeMesh mesh = new PracticeMesh(List.of("eu", "us"), List.of(HELLO),
                FAST_FAILBACK + ",\"minExportingRegions\":2");

        mesh.run("drill", ",\"region\":\"us\",\"durationSeconds\":60");
        mesh.pass(Duration.ofSeconds(10));

        PracticeRunStatus report = mesh.last("drill");
        assertThat(report.phase()).isEqualTo("aborted");
        assertThat(report.reason()).isEqualTo("blocked-by-safety-rule");
        assertThat(report.detail()).contains("default/hello-world in us");
        assertThat(report.services()).singleElement().satisfies(service ->
                assertThat(service.blocked()).isEqualTo("blocked-by-safety-rule in us"));
    }

    @Test
    void theOperatorAbortsARunByDeletingItsRecord() {
        PracticeMesh mesh = new PracticeMesh(List.of("eu", "us"), List.of(HELLO), FAST_FAILBACK);
        mesh.run("drill", ",\"region\":\"us\",\"durationSeconds\":600");
        mesh.pass(Duration.ofSeconds(2));

        mesh.run("drill", null);
        mesh.pass(Duration.ofSeconds(10));

        assertThat(mesh.last("drill").phase()).isEqualTo("aborted");
        assertThat(mesh.last("drill").reason()).isEqualTo("operator-abort");
        assertThat(mesh.last("drill").endedAt()).isEqualTo(PracticeMesh.START.plusSeconds(2));
        assertThat(mesh.reason(HELLO, "us")).isEqualTo("local-healthy");
    }

    @Test
    void aReplicaTakingOverFromTheStatusesResumesTheRunAndEndsItsWindowOnTime() {
        PracticeMesh mesh = new PracticeMesh(List.of("eu", "us"), List.of(HELLO), FAST_FAILBACK);
        mesh.run("drill", ",\"region\":\"us\",\"durationSeconds\":20");
        mesh.pass(Duration.ofSeconds(5));

        mesh.shard.release(List.of(), true);
        mesh.pass(Duration.ofSeconds(5));
        assertThat(mesh.reason(HELLO, "us")).as("the drain holds while no replica drives the run").isEqualTo("drained");
        mesh.pending.add(mesh.shard.answerPolicies());
        mesh.deliver();
        mesh.pass(Duration.ofSeconds(20));

        assertThat(mesh.statuses("drill")).extracting(PracticeRunStatus::phase)
                .as("not answered again").containsOnlyOnce("failing-back");
        assertThat(mesh.last("drill").phase()).isEqualTo("completed");
        assertThat(mesh.last("drill").endedAt()).isEqualTo(PracticeMesh.START.plusSeconds(20));
        assertThat(mesh.reason(HELLO, "us")).isEqualTo("local-healthy");
    }

    @Test
    void aRunDeletedWhileNoReplicaDroveItIsAbortedByTheNextOne() {
        PracticeMesh mesh = new PracticeMesh(List.of("eu", "us"), List.of(HELLO), FAST_FAILBACK);
        mesh.run("drill", ",\"region\":\"us\",\"durationSeconds\":600");
        mesh.shard.release(List.of(), true);

        mesh.run("drill", null);
        mesh.pending.add(mesh.shard.answerPolicies());
        mesh.deliver();
        mesh.pass(Duration.ofSeconds(10));

        assertThat(mesh.last("drill").phase()).isEqualTo("aborted");
        assertThat(mesh.last("drill").reason()).isEqualTo("operator-abort");
        assertThat(mesh.reason(HELLO, "us")).isEqualTo("local-healthy");
    }

    @Test
    void aRunThatChangesNothingCompletesAtTheEndOfItsWindow() {
        PracticeMesh mesh = new PracticeMesh(List.of("eu", "us"), List.of(HELLO), FAST_FAILBACK
                + ",\"drain\":[\"us\"]");
        mesh.pass(Duration.ofSeconds(2));

        mesh.run("drill", ",\"region\":\"us\",\"durationSeconds\":5");
        mesh.pass(Duration.ofSeconds(5));

        PracticeRunStatus report = mesh.last("drill");
        assertThat(report.phase()).isEqualTo("completed");
        assertThat(report.completedAt()).isEqualTo(report.endedAt());
        assertThat(report.drainSeconds()).as("the policy drained us already").isNull();
    }

    @Test
    void oneRunAtATimeAndAnInvalidRecordIsRejectedWithEveryReason() {
        PracticeMesh mesh = new PracticeMesh(List.of("eu", "us"), List.of(HELLO), FAST_FAILBACK);
        mesh.run("drill", ",\"region\":\"us\",\"durationSeconds\":600");

        mesh.run("second", ",\"region\":\"eu\",\"durationSeconds\":60");
        mesh.run("Bad_Name", ",\"region\":\"mars\",\"durationSeconds\":0,\"colour\":\"red\"");
        mesh.run("zoned", ",\"region\":\"mars\",\"durationSeconds\":7200,\"allowedHours\":\"08:00-09:00\","
                + "\"timeZone\":\"Mars/Olympus\"");

        assertThat(mesh.last("second").phase()).isEqualTo("refused");
        assertThat(mesh.last("second").reason()).isEqualTo("run-in-progress");
        assertThat(mesh.last("Bad_Name").phase()).isEqualTo("rejected");
        assertThat(mesh.last("Bad_Name").errors()).extracting(error -> error.field())
                .contains("key", "durationSeconds", "colour");
        assertThat(mesh.last("zoned").errors()).extracting(error -> error.field())
                .containsExactlyInAnyOrder("region", "timeZone", "allowedHours");
        assertThat(mesh.last("drill").phase()).isEqualTo("running");
    }
}
