package io.meshpilot.operations.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.operations.ProjectFiles;
import io.meshpilot.testing.DebianPackages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The kind walkthrough as a user runs it cannot be run here (no Docker), so it is checked as far as it can be without:
 * bash parses it, Debian's shellcheck finds nothing, and every chart value it (and docs/install.md) sets exists in
 * that chart's schema ({@link HelmSets}). docs/install.md is read the same way: what it references, it creates.
 */
class InstallScriptsIT {

    private static final String WALKTHROUGH = "docs/kind/walkthrough.sh";

    @Test
    void bashParsesTheWalkthrough() {
        Run run = run(List.of("bash", "-n", ProjectFiles.resolve(WALKTHROUGH).toString()));

        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @Test
    void shellcheckFindsNothingInTheWalkthrough() {
        Path shellcheck = DebianPackages.require("shellcheck", "shellcheck");

        Run run = run(List.of(shellcheck.toString(), "--shell=bash", ProjectFiles.resolve(WALKTHROUGH).toString()));

        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @Test
    void everyChartValueTheWalkthroughAndTheInstallGuideSetExists() {
        List<HelmSets.Set> sets = new ArrayList<>(HelmSets.in(ProjectFiles.read(WALKTHROUGH)));
        assertThat(sets).as("--set in " + WALKTHROUGH).extracting(HelmSets.Set::key)
                .contains("region", "kafka.bootstrapServers", "image.repository", "image.pullPolicy");
        List<HelmSets.Set> guide = HelmSets.in(ProjectFiles.read("docs/install.md"));
        assertThat(guide).as("--set in docs/install.md").isNotEmpty();
        sets.addAll(guide);

        assertThat(sets).allSatisfy(set -> assertThat(HelmSets.existsInSchema(set))
                .as("%s exists in %s's values.schema.json", set.key(), set.chart()).isTrue());
    }

    @Test
    void theInstallGuideCreatesTheNamespaceThenEverySecretItReferencesAndSetsTheImage() {
        String guide = ProjectFiles.read("docs/install.md");

        assertThat(guide.indexOf("create namespace meshpilot")).as("the namespace is created")
                .isPositive().isLessThan(guide.indexOf("create secret generic"));
        Matcher referenced = Pattern.compile("clientConfigSecret[:=] ?(\\S+)").matcher(guide);
        while (referenced.find()) {
            assertThat(guide).as("a Secret %s is created", referenced.group(1))
                    .contains("create secret generic " + referenced.group(1) + " ");
        }
        Map<String, String> valuesFiles = new HashMap<>();
        Matcher file = Pattern.compile("cat > (\\S+\\.yaml) <<EOF\n(.*?)\nEOF", Pattern.DOTALL).matcher(guide);
        while (file.find()) {
            valuesFiles.put(file.group(1), file.group(2));
        }
        Matcher install = Pattern.compile("helm [^\\n]*\\binstall [^\\n]*").matcher(guide);
        int installs = 0;
        while (install.find()) {
            installs++;
            Matcher values = Pattern.compile("-f (\\S+)").matcher(install.group());
            assertThat(values.find()).as("%s installs from a values file", install.group()).isTrue();
            assertThat(valuesFiles.get(values.group(1))).as("%s sets image.repository", values.group(1))
                    .contains("image:\n  repository: ");
        }
        assertThat(installs).isEqualTo(2);
        assertThat(guide).doesNotContain("--reuse-values --set").contains("--reset-then-reuse-values");
        assertThat(ProjectFiles.read("Dockerfile")).as("Maven's downloads cached between image builds")
                .contains("RUN --mount=type=cache,target=/root/.m2 ");
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within 60 s");
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
