package io.meshpilot.embedded.kubernetes.real;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a condition of the region's start-up or clean-up every 100 ms for up to two minutes: the components signal
 * readiness by nothing a client could wait on.
 */
final class Poll {

    static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Logger LOG = LoggerFactory.getLogger(Poll.class);

    private Poll() {
    }

    /** Polls until the condition holds; an {@link IllegalStateException} from it stops the polling (a fatal fault). */
    static void until(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (IllegalStateException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.atDebug().addKeyValue("waiting for", what).addKeyValue("error", e.toString()).log("not yet");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new IllegalStateException("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what);
    }
}
