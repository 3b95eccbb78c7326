package io.meshpilot.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Expected failures end a command with one line and no stack trace: a bad setting found when it starts (an invalid
 * region, an unreadable file) exits 2, as a usage error; a failure of the world outside (Kafka unreachable, a topic
 * missing) exits 1.
 */
final class UsageErrors implements IExecutionExceptionHandler {

    static final int USAGE = 2;
    static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) throws Exception {
        if (e instanceof IllegalArgumentException || e instanceof CommandLine.ParameterException) {
            command.getErr().println(command.getCommandName() + ": " + e.getMessage());
            return USAGE;
        }
        if (e instanceof IllegalStateException) {
            command.getErr().println(command.getCommandName() + ": " + e.getMessage());
            return FAILURE;
        }
        throw e;
    }
}
