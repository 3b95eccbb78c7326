package io.meshpilot.cli;

import io.meshpilot.schemas.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code meshpilot} command: one entry point, a subcommand per job (SPEC §7). */
@Command(name = "meshpilot",
        mixinStandardHelpOptions = true,
        versionProvider = Meshpilot.Version.class,
        description = "Event-driven multi-region control plane for Cilium ClusterMesh.",
        subcommands = {
            ControlPlaneCommand.class,
            AgentCommand.class,
            SandboxCommand.class,
            DemoCommand.class,
            PolicyCommand.class,
            ExplainCommand.class,
            TopicsCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {"", "Every flag has an environment-variable twin, named in its description."})
public final class Meshpilot implements Runnable {

    @Option(names = "--log-level", scope = ScopeType.INHERIT, defaultValue = "${env:MESHPILOT_LOG_LEVEL}",
            description = "error, warn, info or debug (env MESHPILOT_LOG_LEVEL; default: info, warn for the demo).")
    String logLevel;

    @Option(names = "--log-format", scope = ScopeType.INHERIT, defaultValue = "${env:MESHPILOT_LOG_FORMAT:-text}",
            description = "text (key=value) or json, one object per line (env MESHPILOT_LOG_FORMAT; "
                    + "default: ${DEFAULT-VALUE}).")
    String logFormat;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The whole command line, for tools and tests that read its options. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Meshpilot());
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

    private static String defaultLevel(CommandLine.ParseResult parsed) {
        boolean demo = parsed.asCommandLineList().stream()
                .anyMatch(command -> command.getCommand() instanceof DemoCommand);
        return demo ? "warn" : "info";
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
