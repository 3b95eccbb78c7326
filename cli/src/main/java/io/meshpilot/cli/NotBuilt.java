package io.meshpilot.cli;

import java.io.PrintWriter;

/** What a subcommand that is specified but not built yet does: says so, and exits 2 without pretending to work. */
final class NotBuilt {

    static final int EXIT_CODE = 2;

    private NotBuilt() {
    }

    static int report(PrintWriter err, String command, String issue) {
        err.println("meshpilot " + command + ": not built yet (" + issue + ")");
        return EXIT_CODE;
    }
}
