package io.meshpilot.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * A bad setting found when a command starts (an invalid region, an unreadable file) is the user's to fix: it is
 * printed as one line naming the setting, without a stack trace, and the command exits 2.
 */
final class UsageErrors implements IExecutionExceptionHandler {

    static final int USAGE = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) throws Exception {
        if (e instanceof IllegalArgumentException || e instanceof CommandLine.ParameterException) {
            command.getErr().println(command.getCommandName() + ": " + e.getMessage());
            return USAGE;
        }
        throw e;
    }
}
