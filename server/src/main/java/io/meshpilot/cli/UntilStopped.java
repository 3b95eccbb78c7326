package io.meshpilot.cli;

import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command alive until the process is asked to stop, then closes what it runs. */
final class UntilStopped {

    private UntilStopped() {
    }

    static int run(AutoCloseable running) {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("error while stopping: " + e);
            } finally {
                closed.countDown();
            }
        }, "meshpilot-shutdown"));
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
