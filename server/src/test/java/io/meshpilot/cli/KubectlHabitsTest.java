package io.meshpilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.schemas.BuildInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Issue 20, point 2: the command line behaves as kubectl users expect, on every command. */
class KubectlHabitsTest {

    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @Test
    void everyCommandHasHelpAndVersion() {
        List<String> paths = commands(Meshpilot.commandLine(), List.of());
        assertThat(paths).contains("policy", "policy apply", "topics", "topics create", "status", "version",
                "completion");
        for (String path : paths) {
            List<String> help = new ArrayList<>(List.of(path.split(" ")));
            help.add("--help");
            assertThat(run(help.toArray(String[]::new))).as(path + " --help: " + err).isZero();
            assertThat(out.toString()).as(path).startsWith("Usage: meshpilot " + path);
            List<String> version = new ArrayList<>(List.of(path.split(" ")));
            version.add("-V");
            assertThat(run(version.toArray(String[]::new))).as(path + " -V").isZero();
            assertThat(out.toString()).as(path + " -V").isEqualTo("meshpilot " + BuildInfo.version()
                    + System.lineSeparator());
        }
    }

    @Test
    void everyFlagHasAnEnvironmentTwinNamedInItsHelp() {
        CommandLine top = Meshpilot.commandLine().setInterpolateVariables(false);
        List<String> missing = new ArrayList<>();
        for (CommandLine command : all(top)) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                Matcher env = ENV.matcher(String.valueOf(option.defaultValue()));
                if (!env.find() || !String.join(" ", option.description()).contains(env.group(1))) {
                    missing.add(command.getCommandSpec().qualifiedName() + " " + option.longestName());
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void printsTheClientVersionWithoutAskingTheServer() {
        assertThat(run("version", "--client")).isZero();
        assertThat(out.toString()).isEqualTo("Client Version: " + BuildInfo.version() + System.lineSeparator());
        assertThat(run("version", "--client", "-o", "json")).isZero();
        assertThat(out.toString()).contains("\"clientVersion\"", "\"version\" : \"" + BuildInfo.version() + "\"");
        assertThat(run("version", "--client", "-o", "xml")).isEqualTo(2);
        assertThat(err.toString()).contains("'xml' is not text, json or yaml");
    }

    @Test
    void bashCompletesSubcommandsAndFlags(@TempDir Path dir) throws Exception {
        assertThat(run("completion", "bash")).isZero();
        Path script = Files.writeString(dir.resolve("meshpilot.bash"), out.toString());

        assertThat(complete(script, "meshpilot pol")).contains("policy");
        assertThat(complete(script, "meshpilot policy ap")).contains("apply");
        assertThat(complete(script, "meshpilot policy apply --dry")).contains("--dry-run");
        assertThat(run("completion", "zsh")).isZero();
        assertThat(out.toString()).contains("bashcompinit", "complete -F _complete_meshpilot");
    }

    @Test
    void fishGetsCompleteLinesForEveryCommand() {
        assertThat(run("completion", "fish")).isZero();

        assertThat(out.toString())
                .contains("complete -c meshpilot -n '__fish_use_subcommand' -a policy -d ")
                .contains("complete -c meshpilot -n '__fish_seen_subcommand_from policy' -a apply -d ")
                .contains("complete -c meshpilot -n '__fish_seen_subcommand_from apply' -l dry-run -d ")
                .contains("complete -c meshpilot -n '__fish_seen_subcommand_from status' -s o -l output -r -d ");
        assertThat(run("completion", "powershell")).isEqualTo(2);
    }

    @Test
    void dryRunValidatesAgainstTheBundledSchemasWithoutKafka(@TempDir Path dir) throws IOException {
        Path good = Files.writeString(dir.resolve("good.yaml"), """
                scope: default/hello-world
                mode: auto
                failoverDelaySeconds: 5
                """);
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                scope: "*"
                ---
                scope: default/*
                minReadyRatio: 2
                colour: red
                """);

        assertThat(run("policy", "apply", "--dry-run", "-f", good.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("default/hello-world: valid (dry run, not written)"
                + System.lineSeparator());
        assertThat(run("policy", "apply", "--dry-run", "-f", bad.toString())).isEqualTo(UsageErrors.REJECTED);
        assertThat(out.toString()).contains("*: valid (dry run, not written)",
                "default/*: rejected by the schemas, nothing written", "  colour: is not a known field",
                "  minReadyRatio: must have a maximum value of 1");
    }

    @Test
    void anInvalidPolicyIsRejectedBeforeKafkaIsAsked(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"scope\": \"default/*\", \"mode\": \"sideways\"}");

        assertThat(run("policy", "apply", "-f", bad.toString(), "--kafka-bootstrap", "127.0.0.1:1"))
                .isEqualTo(UsageErrors.REJECTED);
        assertThat(out.toString()).startsWith("default/*: rejected by the schemas, nothing written")
                .contains("  mode: ");
    }

    @Test
    void listsServicesAsATable() throws IOException {
        var items = OutputOption.JSON.readTree("""
                [{"namespace":"default","name":"hello-world","regions":[
                  {"region":"eu","state":"healthy","global":true,"shared":true,"affinity":"local",
                   "reason":"local-healthy"},
                  {"region":"us","state":"pending"}]}]""");

        assertThat(StatusCommand.table(items)).containsExactly(
                "NAMESPACE   NAME          REGION   STATE     GLOBAL   SHARED   AFFINITY   REASON",
                "default     hello-world   eu       healthy   true     true     local      local-healthy",
                "default     hello-world   us       pending   -        -        -          -");
    }

    private static List<String> complete(Path script, String line) throws Exception {
        String words = line.replace("'", "");
        String program = "source '" + script + "'\n"
                + "COMP_LINE='" + words + "'; COMP_WORDS=(" + words + "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "COMP_POINT=${#COMP_LINE}\n"
                + "_complete_meshpilot meshpilot\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process bash = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output.lines().map(String::strip).toList();
    }

    private static List<String> commands(CommandLine command, List<String> path) {
        List<String> paths = new ArrayList<>();
        command.getSubcommands().forEach((name, child) -> {
            if (name.equals("help")) {
                return;
            }
            List<String> here = new ArrayList<>(path);
            here.add(name);
            paths.add(String.join(" ", here));
            paths.addAll(commands(child, here));
        });
        return paths;
    }

    private static List<CommandLine> all(CommandLine command) {
        List<CommandLine> all = new ArrayList<>(List.of(command));
        command.getSubcommands().values().forEach(child -> all.addAll(all(child)));
        return all;
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine commandLine = Meshpilot.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
