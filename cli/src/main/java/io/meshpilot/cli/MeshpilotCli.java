package io.meshpilot.cli;

import picocli.CommandLine;

/**
 * The full command line ({@code cli/target/meshpilot.jar}): the server distribution's {@code meshpilot} plus the
 * commands that run everything on one machine, {@code sandbox} and {@code demo}.
 */
public final class MeshpilotCli {

    private MeshpilotCli() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return Meshpilot.commandLine(new SandboxCommand(), new DemoCommand());
    }
}
