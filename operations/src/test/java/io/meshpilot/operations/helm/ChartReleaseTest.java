package io.meshpilot.operations.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.meshpilot.operations.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The charts as released: {@code helm lint} passes on them as checked in, they run the image this build makes, and the
 * three-region example renders exactly as the golden file {@code src/test/resources/golden/three-regions.yaml}. After
 * an intended change, regenerate it with {@code ./mvnw -pl operations test -Dtest=ChartReleaseTest
 * -Dgolden.update=true} and review the diff.
 */
class ChartReleaseTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/three-regions.yaml");

    @ParameterizedTest
    @ValueSource(strings = {"meshpilot-agent", "meshpilot-control-plane"})
    void helmLintPassesOnTheChartAsCheckedIn(String name) {
        LintResult result = new Helm(ProjectFiles.chart(name)).lint().strict().call();

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"meshpilot-agent", "meshpilot-control-plane"})
    void theChartsRunTheImageOfThisBuild(String name) throws IOException {
        String version = System.getProperty("meshpilot.version", "").replace("-SNAPSHOT", "");

        assertThat(ChartVersions.appVersion(HelmChart.named(name))).isEqualTo(version);
        assertThat(HelmChart.readYaml(ProjectFiles.chart(name).resolve("values.yaml")))
                .extracting(values -> ((Map<?, ?>) values.get("image")).get("repository"))
                .isEqualTo("ghcr.io/meshpilot/meshpilot");
        assertThat(Files.readString(ProjectFiles.resolve("Dockerfile"))).contains("meshpilot.jar");
    }

    @Test
    void theThreeRegionExampleRendersAsTheGoldenFile() throws IOException {
        StringBuilder rendered = new StringBuilder();
        rendered.append(HelmChart.named("meshpilot-control-plane").template(
                List.of(ProjectFiles.example("three-regions/control-plane.yaml")), Map.of()));
        for (String region : List.of("us", "eu", "ap")) {
            rendered.append(HelmChart.named("meshpilot-agent").template(
                    List.of(ProjectFiles.example("three-regions/agent-" + region + ".yaml")), Map.of()));
        }
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, rendered);
        }

        assertThat(rendered.toString()).isEqualTo(Files.readString(GOLDEN));
    }
}
