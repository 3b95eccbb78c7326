package io.meshpilot.operations.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshpilot.operations.ProjectFiles;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard is well formed, reads from the chosen Prometheus, and every panel is documented. */
class DashboardTest {

    private final Dashboard dashboard = Dashboard.read(ProjectFiles.dashboard());

    @Test
    void everyPanelHasQueriesADescriptionAndADocumentedRow() {
        String doc = ProjectFiles.metricsDoc();
        assertThat(dashboard.panels()).hasSizeGreaterThan(10);
        for (Dashboard.Panel panel : dashboard.panels()) {
            assertThat(panel.expressions()).as(panel.title()).isNotEmpty().allSatisfy(expr ->
                    assertThat(expr).contains("meshpilot_"));
            assertThat(panel.description()).as(panel.title()).isNotBlank();
            assertThat(doc).as("docs/metrics.md on panel %s", panel.title()).contains("| " + panel.title() + " |");
        }
    }

    @Test
    void everyQueryUsesTheDatasourceVariable() {
        assertThat(dashboard.json().path("uid").asText()).isEqualTo("meshpilot-overview");
        assertThat(dashboard.json().path("templating").path("list").get(0).path("type").asText())
                .isEqualTo("datasource");
        for (JsonNode panel : dashboard.json().path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            }
        }
    }

    @Test
    void regionNamespaceAndServiceVariablesFilterThePanelsThatHaveThoseLabels() {
        assertThat(dashboard.variables()).containsExactly("datasource", "region", "namespace", "service");
        for (String expr : dashboard.expressions()) {
            if (expr.contains("meshpilot_region_") || expr.contains("meshpilot_agent_")
                    || expr.contains("meshpilot_kubernetes_")) {
                assertThat(expr).as("a region-labelled query").contains("region=~\"$region\"");
            }
            if (expr.contains("meshpilot_service_region_state")) {
                assertThat(expr).contains("region=~\"$region\"", "namespace=~\"$namespace\"",
                        "service=~\"$service\"");
            }
        }
        assertThat(MetricNames.in(dashboard.expressions())).contains("meshpilot_service_region_state");
    }

    @Test
    void panelsHaveUniqueIdsAndDoNotOverlap() {
        Set<Integer> ids = new HashSet<>();
        Set<String> cells = new HashSet<>();
        for (JsonNode panel : dashboard.json().path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id %s", panel.path("id")).isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(panel.path("title").asText())
                    .isLessThanOrEqualTo(24);
            for (int x = grid.path("x").asInt(); x < grid.path("x").asInt() + grid.path("w").asInt(); x++) {
                for (int y = grid.path("y").asInt(); y < grid.path("y").asInt() + grid.path("h").asInt(); y++) {
                    assertThat(cells.add(x + "," + y)).as("%s overlaps another panel at %d,%d",
                            panel.path("title").asText(), x, y).isTrue();
                }
            }
        }
    }

    @Test
    void itShowsHealthFailoversLatenciesErrorsAndLag() {
        assertThat(MetricNames.in(dashboard.expressions())).contains("meshpilot_region_services",
                "meshpilot_failovers_total", "meshpilot_failbacks_total", "meshpilot_decision_latency_seconds_bucket",
                "meshpilot_agent_reaction_seconds_bucket", "meshpilot_records_dead_lettered_total",
                "meshpilot_consumer_lag_records");
        assertThat(List.of("Regions", "Decisions", "Errors", "Kafka")).allSatisfy(row ->
                assertThat(dashboard.json().path("panels").findValuesAsText("title")).contains(row));
    }
}
