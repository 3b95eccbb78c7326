package io.meshpilot.kafka;

/**
 * Told the outcome of every send of a {@link RecordSender}, on the producer's I/O thread: keep it short and
 * thread-safe (count, set a flag, hand work to an event loop).
 */
public interface SendListener {

    /** Hears nothing. */
    SendListener NONE = new SendListener() {
        @Override
        public void sent(String topic) {
        }

        @Override
        public void failed(String topic, Throwable failure) {
        }
    };

    void sent(String topic);

    void failed(String topic, Throwable failure);
}
