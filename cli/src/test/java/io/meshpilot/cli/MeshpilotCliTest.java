package io.meshpilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The full command line: the server's commands plus sandbox and demo, with the same habits. */
class MeshpilotCliTest {

    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void refusesAKubernetesBackendThatIsNeitherRealNorEmbedded() {
        assertThat(run("demo", "--kubernetes", "kind")).isEqualTo(2);
        assertThat(err.toString()).contains("--kubernetes must be real or embedded, got 'kind'")
                .doesNotContain("\tat ");
    }

    @Test
    void listsEveryCommandOfTheSpec() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("  control-plane ", "  agent ", "  sandbox ", "  demo ", "  policy ",
                "  explain ", "  status ", "  topics ", "  version ", "  completion ");
    }

    @Test
    void theSandboxCommandsHaveHelpVersionAndEnvironmentTwins() {
        for (String command : List.of("sandbox", "demo")) {
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString()).contains("Usage: meshpilot " + command);
            assertThat(run(command, "-V")).isZero();
        }
        CommandLine sandbox = MeshpilotCli.commandLine().setInterpolateVariables(false).getSubcommands()
                .get("sandbox");
        List<String> missing = new ArrayList<>();
        for (OptionSpec option : sandbox.getCommandSpec().options()) {
            Matcher env = ENV.matcher(String.valueOf(option.defaultValue()));
            if (!option.usageHelp() && !option.versionHelp()
                    && (!env.find() || !String.join(" ", option.description()).contains(env.group(1)))) {
                missing.add(option.longestName());
            }
        }
        assertThat(missing).isEmpty();
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine commandLine = MeshpilotCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
