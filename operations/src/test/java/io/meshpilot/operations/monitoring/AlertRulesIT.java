package io.meshpilot.operations.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.operations.ProjectFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each chart's alert rules, checked by Debian's promtool: they are valid, and each alert fires on the series that
 * should raise it (and not before its {@code for}), with the labels and annotations an on-call engineer reads.
 */
class AlertRulesIT {

    @ParameterizedTest
    @ValueSource(strings = {"meshpilot-control-plane", "meshpilot-agent"})
    void promtoolChecksTheRules(String chart) {
        Path rules = ProjectFiles.alertRules(chart);

        Promtool.Run run = Promtool.run(rules.getParent(), "check", "rules", rules.toString());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: " + AlertRules.read(rules).alerts().size() + " rules found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"meshpilot-control-plane", "meshpilot-agent"})
    void promtoolUnitTestsOfTheRulesPass(String chart, @TempDir Path directory) throws IOException {
        Path rules = ProjectFiles.alertRules(chart);
        Files.copy(rules, directory.resolve(rules.getFileName()));
        String tests = chart + "-alerts.test.yml";
        try (InputStream in = getClass().getResourceAsStream("/monitoring/" + tests)) {
            Files.copy(in, directory.resolve(tests), StandardCopyOption.REPLACE_EXISTING);
        }

        Promtool.Run run = Promtool.run(directory, "test", "rules", tests);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"meshpilot-control-plane", "meshpilot-agent"})
    void everyAlertIsUnitTestedAndHasARunbook(String chart) throws IOException {
        String tests;
        try (InputStream in = getClass().getResourceAsStream("/monitoring/" + chart + "-alerts.test.yml")) {
            tests = new String(in.readAllBytes());
        }

        for (AlertRules.Alert alert : AlertRules.read(ProjectFiles.alertRules(chart)).alerts()) {
            assertThat(tests).as("a promtool test of %s", alert.name()).contains("alertname: " + alert.name() + "\n");
            assertThat(alert.labels()).as("%s's severity", alert.name()).containsKey("severity");
            assertThat(alert.annotations()).as("%s's annotations", alert.name()).containsKeys("summary",
                    "description", "runbook_url");
        }
    }
}
