package io.meshpilot.cli;

import io.meshpilot.schemas.BuildInfo;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code meshpilot} command: one entry point, a subcommand per job (SPEC §7). This is the server distribution's
 * command line (what the image runs); the full command line adds the sandbox's commands to it.
 */
@Command(name = "meshpilot",
        description = "Event-driven multi-region control plane for Cilium ClusterMesh.",
        subcommands = {
            ControlPlaneCommand.class,
            AgentCommand.class,
            PolicyCommand.class,
            PracticeCommand.class,
            ExplainCommand.class,
            StatusCommand.class,
            WhatIfCommand.class,
            TopicsCommand.class,
            VersionCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {"", "Every flag has an environment-variable twin, named in its description.",
            "Durations are written as Go writes them: 300ms, 5s, 1m30s, 2h."})
public final class Meshpilot implements Runnable {

    /** Commands that log at warn unless told otherwise: they print their own story. */
    private static final Set<String> QUIET_BY_DEFAULT = Set.of("demo");

    @Option(names = "--log-level", scope = ScopeType.INHERIT, defaultValue = "${env:MESHPILOT_LOG_LEVEL}",
            paramLabel = "LEVEL",
            description = "error, warn, info, debug or trace (env MESHPILOT_LOG_LEVEL; default: info, warn for the "
                    + "demo).")
    String logLevel;

    @Option(names = "--log-format", scope = ScopeType.INHERIT, defaultValue = "${env:MESHPILOT_LOG_FORMAT:-text}",
            paramLabel = "FORMAT",
            description = "text (key=value) or json, one flat object per line (env MESHPILOT_LOG_FORMAT; "
                    + "default: ${DEFAULT-VALUE}).")
    String logFormat;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The whole command line, for tools and tests that read its options.
     *
     * @param more further subcommands (the full CLI's sandbox and demo)
     */
    public static CommandLine commandLine(Object... more) {
        CommandLine commandLine = new CommandLine(new Meshpilot());
        for (Object command : more) {
            commandLine.addSubcommand(command);
        }
        everyCommand(commandLine);
        commandLine.setExecutionStrategy(parsed -> {
            Meshpilot top = parsed.asCommandLineList().get(0).getCommand();
            try {
                Logging.configure(top.logLevel != null ? top.logLevel : defaultLevel(parsed), top.logFormat);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(parsed.commandSpec().commandLine(), e.getMessage(), e);
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        commandLine.setExecutionExceptionHandler(new UsageErrors());
        return commandLine;
    }

    /** kubectl's habits on every command, however it was declared: {@code -h/--help} and {@code -V/--version}. */
    private static void everyCommand(CommandLine command) {
        CommandLine.Model.CommandSpec spec = command.getCommandSpec();
        if (spec.findOption("--help") == null) {
            spec.mixinStandardHelpOptions(true);
        }
        spec.versionProvider(new Version());
        command.getSubcommands().values().forEach(Meshpilot::everyCommand);
    }

    private static String defaultLevel(CommandLine.ParseResult parsed) {
        boolean quiet = parsed.asCommandLineList().stream()
                .anyMatch(command -> QUIET_BY_DEFAULT.contains(command.getCommandName()));
        return quiet ? "warn" : "info";
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"meshpilot " + BuildInfo.version()};
        }
    }
}
