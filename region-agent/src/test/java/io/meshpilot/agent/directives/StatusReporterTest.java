package io.meshpilot.agent.directives;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.DirectiveStatus.Result;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.testing.ManualTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Re-sending every Service's latest status after a Kafka outage, on manual time: a chunk per event-loop task. */
class StatusReporterTest {

    private static final int SERVICES = 10_000;

    private final ManualTime time = new ManualTime(Instant.parse("2026-12-01T00:00:00Z"));
    private final List<DirectiveStatus> sent = new ArrayList<>();
    private final StatusReporter reporter = new StatusReporter(status -> {
        sent.add(status);
        return CompletableFuture.completedFuture(null);
    }, "us", "agent-us-0", time, time);

    @Test
    void tenThousandStatusesAreSentAgainAChunkPerTaskNotAllInOne() {
        for (int i = 0; i < SERVICES; i++) {
            report(directive("svc-" + i, 1), Result.APPLIED, null);
        }
        sent.clear();

        reporter.resendLatest();

        assertThat(sent).as("sent in the caller's task").hasSize(StatusReporter.CHUNK);
        assertThat(reporter.resendPending()).isEqualTo(SERVICES - StatusReporter.CHUNK);
        time.runDue();
        assertThat(sent).hasSize(SERVICES);
        assertThat(sent).extracting(DirectiveStatus::service).doesNotHaveDuplicates();
        assertThat(time.pending()).isZero();
    }

    @Test
    void aStatusReportedDuringTheResendIsNotSentAgainWithAnOlderOne() {
        for (int i = 0; i < SERVICES; i++) {
            report(directive("svc-" + i, 1), Result.APPLIED, null);
        }
        reporter.resendLatest();
        sent.clear();

        report(directive("svc-9999", 2), Result.FAILED, "API server answered 503");
        time.runDue();

        assertThat(sent).filteredOn(status -> status.service().equals("svc-9999"))
                .extracting(DirectiveStatus::version, DirectiveStatus::result)
                .containsExactly(org.assertj.core.api.Assertions.tuple(2L, Result.FAILED));
        assertThat(sent).hasSize(SERVICES - StatusReporter.CHUNK);
    }

    @Test
    void aServiceNoLongerDirectedHereIsForgottenAndNotSentAgain() {
        report(directive("svc-0", 1), Result.APPLIED, null);
        report(directive("svc-1", 1), Result.APPLIED, null);
        sent.clear();

        reporter.forget(directive("svc-0", 1).key());
        reporter.resendLatest();

        assertThat(reporter.latest(directive("svc-0", 1).key())).isEmpty();
        assertThat(sent).extracting(DirectiveStatus::service).containsExactly("svc-1");
    }

    private static ServiceDirective directive(String service, long version) {
        return new ServiceDirective("us", "load", service, version, Map.of("service.cilium.io/affinity", "local"),
                "local-healthy", Instant.parse("2026-12-01T00:00:00Z"));
    }

    private void report(ServiceDirective directive, Result result, String message) {
        reporter.report(directive.key(), directive, result, message);
    }
}
