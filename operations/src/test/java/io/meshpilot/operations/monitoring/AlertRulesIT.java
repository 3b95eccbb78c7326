package io.meshpilot.operations.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.operations.ProjectFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules, checked by Debian's promtool: they are valid, and each alert fires on the series that should raise
 * it (and not before its {@code for}), with the labels and annotations an on-call engineer reads.
 */
class AlertRulesIT {

    private static final String TESTS = "meshpilot-alerts.test.yml";

    @Test
    void promtoolChecksTheRules() {
        Path rules = ProjectFiles.alertRules();

        Promtool.Run run = Promtool.run(rules.getParent(), "check", "rules", rules.toString());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: " + AlertRules.read(rules).alerts().size() + " rules found");
    }

    @Test
    void promtoolUnitTestsOfTheRulesPass(@TempDir Path directory) throws IOException {
        Files.copy(ProjectFiles.alertRules(), directory.resolve("meshpilot-alerts.yml"));
        try (InputStream tests = getClass().getResourceAsStream("/monitoring/" + TESTS)) {
            Files.copy(tests, directory.resolve(TESTS), StandardCopyOption.REPLACE_EXISTING);
        }

        Promtool.Run run = Promtool.run(directory, "test", "rules", TESTS);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertIsUnitTestedAndDocumented() throws IOException {
        String tests;
        try (InputStream in = getClass().getResourceAsStream("/monitoring/" + TESTS)) {
            tests = new String(in.readAllBytes());
        }
        String doc = ProjectFiles.metricsDoc();

        for (AlertRules.Alert alert : AlertRules.read(ProjectFiles.alertRules()).alerts()) {
            assertThat(tests).as("a promtool test of %s", alert.name()).contains("alertname: " + alert.name() + "\n");
            assertThat(doc).as("docs/metrics.md on %s", alert.name()).contains("| `" + alert.name() + "` |");
            assertThat(alert.labels()).as("%s's severity", alert.name()).containsKey("severity");
            assertThat(alert.annotations()).as("%s's annotations", alert.name()).containsKeys("summary",
                    "description");
        }
    }
}
