package io.meshpilot.agent.kubernetes;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Metrics of the agent's API-server calls: requests by operation and outcome with their latency, retries, the
 * circuit breaker's state and transitions, and waits for a write permit.
 */
public final class KubernetesCallMetrics {

    private final PrometheusRegistry registry;
    private final Counter requests;
    private final Histogram latency;
    private final Counter retries;
    private final Counter breakerTransitions;
    private final Counter permitWaits;
    private final Counter permitWaitSeconds;

    public KubernetesCallMetrics(PrometheusRegistry registry) {
        this.registry = registry;
        requests = Counter.builder().name("meshpilot_kubernetes_requests_total")
                .help("API-server calls by operation and outcome (success, error, rejected by the circuit breaker "
                        + "or the rate limiter).")
                .labelNames("operation", "outcome").register(registry);
        latency = Histogram.builder().name("meshpilot_kubernetes_request_duration_seconds")
                .help("Time of one API-server call attempt, by operation.")
                .classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .labelNames("operation").register(registry);
        retries = Counter.builder().name("meshpilot_kubernetes_retries_total")
                .help("API-server calls retried after a conflict, throttling, a server error or a timeout.")
                .register(registry);
        breakerTransitions = Counter.builder().name("meshpilot_kubernetes_circuit_breaker_transitions_total")
                .help("Circuit-breaker state changes, by the state entered.")
                .labelNames("state").register(registry);
        permitWaits = Counter.builder().name("meshpilot_kubernetes_rate_limiter_waits_total")
                .help("Writes that had to wait for a rate-limiter permit.").register(registry);
        permitWaitSeconds = Counter.builder().name("meshpilot_kubernetes_rate_limiter_wait_seconds_total")
                .help("Time writes spent waiting for a rate-limiter permit.").register(registry);
    }

    /** Exports a zero for each outcome of each operation named, before its first call. */
    void expect(String... operations) {
        for (String operation : operations) {
            latency.initLabelValues(operation);
            for (String outcome : List.of("success", "error", "rejected")) {
                requests.initLabelValues(operation, outcome);
            }
        }
    }

    KubernetesCallMetrics observe(Retry retry, CircuitBreaker breaker) {
        for (CircuitBreaker.State state : List.of(CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN,
                CircuitBreaker.State.HALF_OPEN)) {
            breakerTransitions.initLabelValues(stateName(state));
        }
        retry.getEventPublisher().onRetry(event -> retries.inc());
        breaker.getEventPublisher().onStateTransition(event ->
                breakerTransitions.labelValues(stateName(event.getStateTransition().getToState())).inc());
        GaugeWithCallback.builder().name("meshpilot_kubernetes_circuit_breaker_state")
                .help("1 for the circuit breaker's current state (closed, open, half_open), 0 for the others.")
                .labelNames("state")
                .callback(callback -> {
                    for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
                        callback.call(state == breaker.getState() ? 1 : 0, stateName(state));
                    }
                }).register(registry);
        return this;
    }

    <T> T time(String operation, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            T result = call.get();
            requests.labelValues(operation, "success").inc();
            return result;
        } catch (CallNotPermittedException e) {
            requests.labelValues(operation, "rejected").inc();
            throw e;
        } catch (RuntimeException e) {
            requests.labelValues(operation, "error").inc();
            throw e;
        } finally {
            latency.labelValues(operation).observe((System.nanoTime() - start) / 1e9);
        }
    }

    void waitedForPermit(Duration waited) {
        if (waited.toMillis() >= 1) {
            permitWaits.inc();
            permitWaitSeconds.inc(waited.toNanos() / 1e9);
        }
    }

    private static String stateName(CircuitBreaker.State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
