package io.meshpilot.controlplane.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.testing.ManualTime;
import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.policy.PolicyStatuses;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.FieldError;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.MetricsPage;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorldGaugesTest {

    private static final ServiceKey HELLO = new ServiceKey("default", "hello-world");
    private static final ServiceKey ECHO = new ServiceKey("default", "echo");

    private final ManualTime time = new ManualTime(Instant.parse("2026-11-25T12:00:00Z"));
    private final WorldModel world = new WorldModel();
    private final RegionLiveness liveness = new RegionLiveness();
    private final PolicyStatuses policyStatuses = new PolicyStatuses(time);
    private final PrometheusRegistry registry = new PrometheusRegistry();

    @BeforeEach
    void twoRegions() {
        world.addRegion("us");
        world.addRegion("eu");
        heard("us");
        heard("eu");
    }

    @Test
    void countsServicesByStateInEachRegion() {
        directive(HELLO, "us", "local-degraded");
        directive(ECHO, "us", "local-healthy");
        directive(HELLO, "eu", "drained");

        MetricsPage page = refreshedPage(false);

        assertThat(page.value("meshpilot_region_services{region=\"us\",state=\"degraded\"}")).isEqualTo(1);
        assertThat(page.value("meshpilot_region_services{region=\"us\",state=\"healthy\"}")).isEqualTo(1);
        assertThat(page.value("meshpilot_region_services{region=\"eu\",state=\"drained\"}")).isEqualTo(1);
        assertThat(page.value("meshpilot_region_services{region=\"eu\",state=\"pending\"}")).isEqualTo(0);
        assertThat(page.has("meshpilot_service_region_state")).isFalse();
    }

    @Test
    void aSilentRegionCountsAsStaleWithWhenItWasLastHeard() {
        directive(HELLO, "us", "local-healthy");
        time.advance(Duration.ofSeconds(20));
        heard("eu");

        MetricsPage page = refreshedPage(false);

        assertThat(page.value("meshpilot_region_services{region=\"us\",state=\"stale\"}")).isEqualTo(1);
        assertThat(page.value("meshpilot_region_last_heartbeat_timestamp_seconds{region=\"us\"}"))
                .isEqualTo(time.instant().minusSeconds(20).toEpochMilli() / 1000.0);
        assertThat(page.value("meshpilot_region_last_heartbeat_timestamp_seconds{region=\"eu\"}"))
                .isEqualTo(time.instant().toEpochMilli() / 1000.0);
    }

    @Test
    void countsDirectivesTheAgentFailedOrRefusedAndRejectedPolicies() {
        directive(HELLO, "us", "local-healthy");
        directive(ECHO, "us", "local-healthy");
        status(HELLO, "us", DirectiveStatus.Result.FAILED);
        status(ECHO, "us", DirectiveStatus.Result.APPLIED);
        policyStatuses.judged("default/echo", new PolicyStatuses.PolicyPosition(0, 3), List.of(new FieldError("mode", "must be one of auto, pinned")));
        policyStatuses.judged("*", new PolicyStatuses.PolicyPosition(0, 4), List.of());

        MetricsPage page = refreshedPage(false);

        assertThat(page.value("meshpilot_region_directives_unapplied{region=\"us\"}")).isEqualTo(1);
        assertThat(page.value("meshpilot_region_directives_unapplied{region=\"eu\"}")).isEqualTo(0);
        assertThat(page.value("meshpilot_policy_rejected{scope=\"default/echo\"}")).isEqualTo(1);
        assertThat(page.has("meshpilot_policy_rejected{scope=\"*\"}")).isFalse();
    }

    @Test
    void perServiceSeriesOnlyWhenAskedFor() {
        directive(HELLO, "us", "failover-pending");

        MetricsPage page = refreshedPage(true);

        assertThat(page.value("meshpilot_service_region_state{namespace=\"default\",region=\"us\","
                + "service=\"hello-world\",state=\"degraded\"}")).isEqualTo(1);
    }

    private MetricsPage refreshedPage(boolean perService) {
        WorldGauges gauges = new WorldGauges(world, liveness, new PolicyBook(), policyStatuses, time, perService,
                registry);
        gauges.refresh();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return MetricsPage.parse(out.toString(StandardCharsets.UTF_8));
    }

    private void heard(String region) {
        liveness.heard(new AgentHeartbeat(region, "agent-" + region, "test", time.instant(), 2, true),
                time.instant());
    }

    private void directive(ServiceKey service, String region, String reason) {
        world.directive(service, region, 0, new ServiceDirective(region, service.namespace(), service.name(), 1,
                Map.of("service.cilium.io/global", "true"), reason, time.instant()));
    }

    private void status(ServiceKey service, String region, DirectiveStatus.Result result) {
        world.status(service, region, 0, new DirectiveStatus(region, service.namespace(), service.name(), 1, result,
                "", time.instant(), "agent-" + region));
    }
}
