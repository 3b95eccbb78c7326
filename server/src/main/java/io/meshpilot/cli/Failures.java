package io.meshpilot.cli;

import java.util.LinkedHashSet;
import java.util.Set;

/** One line saying why something failed, from an exception and its causes (many carry no message of their own). */
final class Failures {

    /** fabric8's message for any failed request; its cause says what happened. */
    private static final String SAYS_NOTHING = "An error has occurred.";

    private Failures() {
    }

    static String describe(Throwable failure) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable cause = failure; cause != null && parts.size() < 4; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (cause instanceof java.net.ConnectException && (message == null || message.isBlank())) {
                // the JDK's HTTP client reports a refused connection with no message, over a closed channel
                parts.add("connection refused");
                break;
            }
            String line = message == null ? "" : message.lines().findFirst().orElse("").strip();
            if (!line.isEmpty() && !SAYS_NOTHING.equals(line)) {
                if (parts.stream().noneMatch(part -> part.contains(line))) {
                    parts.add(line);
                }
            } else if (line.isEmpty() && cause.getCause() == null) {
                parts.add(readable(cause));
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return parts.isEmpty() ? readable(failure) : String.join(": ", parts);
    }

    /** {@code ConnectException} reads as "connect exception", {@code HttpTimeoutException} as "http timeout". */
    private static String readable(Throwable failure) {
        String name = failure.getClass().getSimpleName().replaceAll("(Exception|Error)$", "");
        return name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }
}
