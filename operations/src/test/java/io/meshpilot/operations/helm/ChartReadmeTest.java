package io.meshpilot.operations.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.operations.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each chart's README holds the values table {@link ValuesTable} generates from the chart's schema and defaults, as
 * they are now; every key has a description. After changing values, regenerate with
 * {@code ./mvnw -pl operations test -Dtest=ChartReadmeTest -Dreadme.update=true}.
 */
class ChartReadmeTest {

    @ParameterizedTest
    @ValueSource(strings = {"meshpilot-agent", "meshpilot-control-plane"})
    void theReadmesValuesTableIsCurrent(String name) throws IOException {
        Path chart = ProjectFiles.chart(name);
        Path readme = chart.resolve("README.md");
        String current = Files.readString(readme);
        String updated = ValuesTable.updated(current, chart);
        if (Boolean.getBoolean("readme.update")) {
            Files.writeString(readme, updated);
            current = updated;
        }

        assertThat(current).as("helm/%s/README.md's values table (regenerate with -Dreadme.update=true)", name)
                .isEqualTo(updated);
    }

    @ParameterizedTest
    @ValueSource(strings = {"meshpilot-agent", "meshpilot-control-plane"})
    void everyValueIsDescribed(String name) {
        String table = ValuesTable.render(ProjectFiles.chart(name));

        assertThat(table.lines().skip(2)).isNotEmpty().allSatisfy(row ->
                assertThat(row).as("a description").doesNotEndWith("|  |"));
    }
}
