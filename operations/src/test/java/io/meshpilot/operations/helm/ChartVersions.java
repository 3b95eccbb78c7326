package io.meshpilot.operations.helm;

import java.util.Map;

/** A chart's versions, from its Chart.yaml. */
final class ChartVersions {

    private ChartVersions() {
    }

    static String appVersion(HelmChart chart) {
        Map<String, Object> metadata = HelmChart.readYaml(chart.directory().resolve("Chart.yaml"));
        return String.valueOf(metadata.get("appVersion"));
    }
}
