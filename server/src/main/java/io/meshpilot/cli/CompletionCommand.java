package io.meshpilot.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Shell completion from the command line's own model, as {@code kubectl completion}: picocli's script for bash
 * (which also serves zsh through bashcompinit; the script enables it), and {@code complete} lines for fish.
 */
@Command(name = "completion",
        description = {"Print a shell completion script for bash, zsh or fish.",
            "  bash: source <(meshpilot completion bash)",
            "  zsh:  source <(meshpilot completion zsh)",
            "  fish: meshpilot completion fish | source"})
final class CompletionCommand implements Callable<Integer> {

    enum Shell { bash, zsh, fish }

    @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish.")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        PrintWriter out = spec.commandLine().getOut();
        String name = spec.root().name();
        switch (shell) {
            case bash, zsh -> out.print(AutoComplete.bash(name, root));
            case fish -> fish(out, name, root);
        }
        out.flush();
        return 0;
    }

    private static void fish(PrintWriter out, String name, CommandLine root) {
        out.println("# fish completion for " + name + "; load it with: " + name + " completion fish | source");
        out.println("complete -c " + name + " -f");
        fishCommand(out, name, root, "");
    }

    /** @param path the subcommands leading here, space separated */
    private static void fishCommand(PrintWriter out, String name, CommandLine command, String path) {
        String condition = path.isEmpty() ? "__fish_use_subcommand"
                : "__fish_seen_subcommand_from " + path.substring(path.lastIndexOf(' ') + 1);
        command.getSubcommands().forEach((subcommand, child) -> {
            if (child.getCommandSpec().usageMessage().hidden() || !child.getCommandName().equals(subcommand)) {
                return;
            }
            out.println("complete -c " + name + " -n '" + condition + "' -a " + subcommand + " -d "
                    + quote(first(child.getCommandSpec().usageMessage().description())));
        });
        if (!path.isEmpty()) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                StringBuilder line = new StringBuilder("complete -c " + name + " -n '" + condition + "'");
                for (String optionName : option.names()) {
                    line.append(optionName.startsWith("--") ? " -l " + optionName.substring(2)
                            : " -s " + optionName.substring(1));
                }
                if (option.arity().max() > 0) {
                    line.append(" -r");
                }
                line.append(" -d ").append(quote(first(option.description())));
                out.println(line);
            }
        }
        command.getSubcommands().forEach((subcommand, child) -> {
            if (child.getCommandName().equals(subcommand)) {
                fishCommand(out, name, child, (path + " " + subcommand).strip());
            }
        });
    }

    private static String first(String[] description) {
        String text = description.length == 0 ? "" : description[0];
        int end = text.indexOf(". ");
        return (end > 0 ? text.substring(0, end) : text).replace("${DEFAULT-VALUE}", "");
    }

    private static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
