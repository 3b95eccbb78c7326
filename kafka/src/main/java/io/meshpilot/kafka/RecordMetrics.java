package io.meshpilot.kafka;

import io.meshpilot.schemas.Topics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Records in and out per topic, records dead-lettered, and whether Kafka answers. The {@code topic} label is what the
 * topic carries ({@code health}, {@code directives}, ...), not its name, so it stays bounded however many regions
 * there are.
 */
public final class RecordMetrics implements SendListener {

    private final Topics topics;
    private final Counter sent;
    private final Counter received;
    private final Counter deadLettered;
    private final Gauge lag;

    public RecordMetrics(PrometheusRegistry registry, Topics topics) {
        this.topics = topics;
        sent = Counter.builder().name("meshpilot_records_sent_total")
                .help("Records sent to Kafka, by what the topic carries and outcome (success, error).")
                .labelNames("topic", "outcome").register(registry);
        received = Counter.builder().name("meshpilot_records_received_total")
                .help("Records read from Kafka, by what the topic carries.")
                .labelNames("topic").register(registry);
        lag = Gauge.builder().name("meshpilot_consumer_lag_records")
                .help("Records not read yet, by consumer and what the topic carries (summed over partitions).")
                .labelNames("consumer", "topic").register(registry);
        deadLettered = Counter.builder().name("meshpilot_records_dead_lettered_total")
                .help("Records sent to the dead-letter topic instead of being used, by the topic they came from "
                        + "and why (invalid, bad-key, region-mismatch, rejected).")
                .labelNames("topic", "reason").register(registry);
    }

    /**
     * Exports a zero for each outcome of each kind of topic the component writes, so that series exist (and
     * {@code increase()} sees the first record) before anything is sent.
     */
    public RecordMetrics writes(String... roles) {
        for (String role : roles) {
            sent.initLabelValues(role, "success");
            sent.initLabelValues(role, "error");
        }
        return this;
    }

    /** Exports a zero for each kind of topic the component reads, and for each reason to dead-letter its records. */
    public RecordMetrics reads(String... roles) {
        for (String role : roles) {
            received.initLabelValues(role);
            for (DeadLetters.Cause cause : DeadLetters.Cause.values()) {
                deadLettered.initLabelValues(role, cause.label());
            }
        }
        return this;
    }

    /** Exports {@code meshpilot_kafka_reachable}: 1 while the link says Kafka answers. */
    public RecordMetrics reachability(PrometheusRegistry registry, BooleanSupplier reachable) {
        GaugeWithCallback.builder().name("meshpilot_kafka_reachable")
                .help("1 while Kafka acknowledges this component's records, 0 after a failure or a silence.")
                .callback(callback -> callback.call(reachable.getAsBoolean() ? 1 : 0)).register(registry);
        return this;
    }

    @Override
    public void sent(String topic) {
        sent.labelValues(topics.role(topic), "success").inc();
    }

    @Override
    public void failed(String topic, Throwable failure) {
        sent.labelValues(topics.role(topic), "error").inc();
    }

    public void received(String topic, int count) {
        received.labelValues(topics.role(topic)).inc(count);
    }

    /** Sets a consumer's lag, per topic (summed over its partitions). */
    public void lag(String consumer, Map<String, Long> lagByTopic) {
        Map<String, Long> byRole = new HashMap<>();
        lagByTopic.forEach((topic, records) -> byRole.merge(topics.role(topic), records, Long::sum));
        byRole.forEach((role, records) -> lag.labelValues(consumer, role).set(records));
    }

    public void deadLettered(String sourceTopic, DeadLetters.Cause cause) {
        deadLettered.labelValues(topics.role(sourceTopic), cause.label()).inc();
    }
}
