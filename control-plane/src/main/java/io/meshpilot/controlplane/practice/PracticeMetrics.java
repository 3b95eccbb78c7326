package io.meshpilot.controlplane.practice;

import java.time.Duration;

/** What practice runs count; the runtime exports it (Prometheus). */
public interface PracticeMetrics {

    /** A run ended: {@code completed}, {@code aborted}, {@code refused} or {@code rejected}. */
    void ended(String result);

    /** One Service's drain applied in every region it changed, this long after the drain began. */
    void drained(Duration elapsed);

    /** One Service's failback applied in every region it changed, this long after the window ended. */
    void failedBack(Duration elapsed);

    /** Whether a region is drained by a practice run now (1) or not (0). */
    void active(int runs);

    PracticeMetrics NONE = new PracticeMetrics() {
        @Override
        public void ended(String result) {
        }

        @Override
        public void drained(Duration elapsed) {
        }

        @Override
        public void failedBack(Duration elapsed) {
        }

        @Override
        public void active(int runs) {
        }
    };
}
