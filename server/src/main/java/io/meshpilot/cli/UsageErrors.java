package io.meshpilot.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Every failure ends a command with one line naming what failed and where, and no stack trace (at debug level the
 * trace is logged): a bad setting found when it starts (an invalid region, an unreadable file) exits 2, as a usage
 * error; a failure of the world outside (Kafka or the control plane unreachable, a topic missing) exits 1. With
 * {@code --log-format json} the line is a JSON log line like every other.
 */
final class UsageErrors implements IExecutionExceptionHandler {

    static final int FAILURE = 1;
    static final int USAGE = 2;
    /** {@code policy apply}: a policy was rejected (by the schemas here, or by the control plane). */
    static final int REJECTED = 3;
    /** {@code policy apply}: no verdict came within the timeout. */
    static final int TIMED_OUT = 4;

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        int exitCode = e instanceof IllegalArgumentException || e instanceof CommandLine.ParameterException
                ? USAGE : FAILURE;
        String path = command.getCommandSpec().qualifiedName(" ");
        String name = path.contains(" ") ? path.substring(path.indexOf(' ') + 1) : path;
        Logging.failure(command.getErr(), name, Failures.describe(e), e);
        return exitCode;
    }
}
