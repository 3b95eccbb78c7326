package io.meshpilot.operations.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.operations.ProjectFiles;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an on-call engineer reads in an alert, without running Prometheus: a runbook in docs/metrics.md under the
 * alert's own heading, and labels that say what to fix (no aggregation that drops every label while the series name a
 * region, a scope or a Service).
 */
class AlertRulesTest {

    private static final String RUNBOOKS = "https://github.com/meshpilot/meshpilot/blob/main/docs/metrics.md#";
    private static final Pattern HEADING = Pattern.compile("(?m)^#{2,4} (.+)$");
    /** An aggregation with no {@code by} clause: it keeps no label at all. */
    private static final Pattern BARE_AGGREGATION = Pattern.compile("\\b(max|min|sum|avg|count)\\s*\\(");
    /** The metrics whose labels name what to fix. */
    private static final Set<String> LABELLED = Set.of("meshpilot_region_services",
            "meshpilot_region_last_heartbeat_timestamp_seconds", "meshpilot_region_directives_unapplied",
            "meshpilot_policy_rejected", "meshpilot_service_region_state", "meshpilot_agent_leader",
            "meshpilot_kubernetes_circuit_breaker_state", "meshpilot_agent_reaction_seconds_bucket");

    @ParameterizedTest
    @ValueSource(strings = {"meshpilot-control-plane", "meshpilot-agent"})
    void everyAlertLinksItsRunbookInTheMetricsReference(String chart) {
        Set<String> anchors = anchors(ProjectFiles.metricsDoc());

        for (AlertRules.Alert alert : AlertRules.read(ProjectFiles.alertRules(chart)).alerts()) {
            assertThat((String) alert.annotations().get("runbook_url")).as(alert.name())
                    .isEqualTo(RUNBOOKS + alert.name().toLowerCase());
            assertThat(anchors).as("a heading for %s in docs/metrics.md", alert.name())
                    .contains(alert.name().toLowerCase());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"meshpilot-control-plane", "meshpilot-agent"})
    void alertsOnLabelledSeriesKeepTheirLabels(String chart) {
        for (AlertRules.Alert alert : AlertRules.read(ProjectFiles.alertRules(chart)).alerts()) {
            boolean labelled = MetricNames.in(List.of(alert.expr())).stream().anyMatch(LABELLED::contains);
            if (labelled) {
                assertThat(BARE_AGGREGATION.matcher(alert.expr().replace("\n", " ")).find())
                        .as("%s aggregates away the labels that say what to fix: %s", alert.name(), alert.expr())
                        .isFalse();
            }
        }
    }

    /** GitHub's heading anchors: lower case, spaces to '-', punctuation other than '-' and '_' dropped. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new TreeSet<>();
        Matcher matcher = HEADING.matcher(markdown);
        while (matcher.find()) {
            anchors.add(matcher.group(1).trim().toLowerCase().replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
        }
        return anchors;
    }
}
