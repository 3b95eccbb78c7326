package io.meshpilot.embedded.kafka;

import org.apache.kafka.common.utils.internals.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's broker calls {@code Exit.exit} or {@code Exit.halt} on fatal errors (a failed log directory, an unexpected
 * error in a broker thread). In-process that would end the whole JVM, test runner or sandbox included, so the
 * procedures log the fault and throw instead, failing only the broker thread that hit it.
 */
final class ExitGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ExitGuard.class);
    private static boolean installed;

    private ExitGuard() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        Exit.setExitProcedure((status, message) -> {
            throw refuse("exit", status, message);
        });
        Exit.setHaltProcedure((status, message) -> {
            throw refuse("halt", status, message);
        });
    }

    private static IllegalStateException refuse(String what, int status, String message) {
        LOG.error("the embedded Kafka broker asked to {} with status {}: {}", what, status, message);
        return new IllegalStateException("embedded Kafka broker refused " + what + "(" + status + "): " + message);
    }
}
