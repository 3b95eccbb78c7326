package io.meshpilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.testing.DebianPackages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 20, point 2: {@code meshpilot completion zsh|fish} loaded by the real shells (Debian's zsh and fish). */
class CompletionIT {

    @Test
    void fishCompletesSubcommandsAndFlags(@TempDir Path dir) throws Exception {
        Path fish = DebianPackages.require("fish", "fish");
        Path script = Files.writeString(dir.resolve("meshpilot.fish"), completion("fish"));

        assertThat(shell(fish, "source " + script + "; complete -C 'meshpilot pol'"))
                .anySatisfy(line -> assertThat(line).startsWith("policy\t"));
        assertThat(shell(fish, "source " + script + "; complete -C 'meshpilot policy ap'"))
                .anySatisfy(line -> assertThat(line).startsWith("apply\t"));
        assertThat(shell(fish, "source " + script + "; complete -C 'meshpilot policy apply --dry'"))
                .anySatisfy(line -> assertThat(line).startsWith("--dry-run\t"));
        assertThat(shell(fish, "source " + script + "; complete -C 'meshpilot demo --h'"))
                .anySatisfy(line -> assertThat(line).startsWith("--help\t"));
    }

    @Test
    void zshLoadsTheScriptAsACompletionFunction(@TempDir Path dir) throws Exception {
        Path zsh = DebianPackages.require("zsh", "zsh");
        Path script = Files.writeString(dir.resolve("meshpilot.zsh"), completion("zsh"));

        List<String> registered = shell(zsh, "source " + script + " && print -r -- ${_comps[meshpilot]}");

        assertThat(registered).last().asString().contains("_complete_meshpilot");
    }

    private static String completion(String shell) {
        StringWriter out = new StringWriter();
        CommandLine commandLine = MeshpilotCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        assertThat(commandLine.execute("completion", shell)).isZero();
        return out.toString();
    }

    private static List<String> shell(Path shell, String program) throws Exception {
        Process process = new ProcessBuilder(shell.toString(), "-c", program).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().toList();
    }
}
