package io.meshpilot.agent.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Every call the agent makes to its API server, made resilient with resilience4j: a rate limiter on writes, a circuit
 * breaker around the API server, and retries with exponential backoff on conflicts (409), throttling (429), server
 * errors (5xx) and timeouts. Blocking: call it from a worker thread. The client itself has a request timeout and no
 * retries of its own, so these are the only ones, and they are measured ({@link KubernetesCallMetrics}).
 */
public final class KubernetesCalls {

    /** How the agent treats its API server. */
    public record Policy(Duration requestTimeout, int attempts, Duration firstBackoff, Duration breakerOpenFor,
            int writesPerSecond) {

        public static final Policy DEFAULT =
                new Policy(Duration.ofSeconds(10), 5, Duration.ofMillis(200), Duration.ofSeconds(10), 20);

        public Policy {
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("--kube-request-timeout must be positive, got " + requestTimeout);
            }
            if (attempts < 1) {
                throw new IllegalArgumentException("--kube-attempts must be at least 1, got " + attempts);
            }
            if (firstBackoff.isNegative()) {
                throw new IllegalArgumentException("--kube-backoff must not be negative, got " + firstBackoff);
            }
            if (breakerOpenFor.isNegative() || breakerOpenFor.isZero()) {
                throw new IllegalArgumentException("--kube-breaker-open must be positive, got " + breakerOpenFor);
            }
            if (writesPerSecond < 1) {
                throw new IllegalArgumentException("--write-rate must be at least 1 per second, got "
                        + writesPerSecond);
            }
        }
    }

    private final Retry retry;
    private final CircuitBreaker breaker;
    private final RateLimiter writes;
    private final KubernetesCallMetrics metrics;

    public KubernetesCalls(Policy policy, KubernetesCallMetrics metrics) {
        this.retry = Retry.of("kubernetes", RetryConfig.custom()
                .maxAttempts(policy.attempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(
                        policy.firstBackoff().isZero() ? Duration.ofMillis(1) : policy.firstBackoff(), 2.0,
                        Duration.ofSeconds(5)))
                .retryOnException(KubernetesCalls::isTransient)
                .build());
        this.breaker = CircuitBreaker.of("kubernetes", CircuitBreakerConfig.custom()
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(policy.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(2)
                .recordException(KubernetesCalls::isTransient)
                .build());
        this.writes = RateLimiter.of("kubernetes-writes", RateLimiterConfig.custom()
                .limitForPeriod(policy.writesPerSecond())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ofSeconds(30))
                .build());
        this.metrics = metrics.observe(retry, breaker);
    }

    /** Names the operations this client will call, so their metrics exist from the start. */
    public void expect(String... operations) {
        metrics.expect(operations);
    }

    /** A write (patch, create): rate limited, through the breaker, retried. */
    public <T> T write(String operation, Supplier<T> call) {
        return retry.executeSupplier(() -> metrics.time(operation,
                () -> breaker.executeSupplier(() -> call(operation, call, true))));
    }

    /** A read: through the breaker, retried. */
    public <T> T read(String operation, Supplier<T> call) {
        return retry.executeSupplier(() -> metrics.time(operation,
                () -> breaker.executeSupplier(() -> call(operation, call, false))));
    }

    private <T> T call(String operation, Supplier<T> call, boolean write) {
        if (write) {
            long start = System.nanoTime();
            boolean permitted = writes.acquirePermission();
            metrics.waitedForPermit(Duration.ofNanos(System.nanoTime() - start));
            if (!permitted) {
                throw RequestNotPermitted.createRequestNotPermitted(writes);
            }
        }
        return call.get();
    }

    /**
     * Whether a write could take a permit now and leave one for the next: low-priority writes (Events) go only then,
     * so they never make a patch wait.
     */
    public boolean spareWritePermit() {
        return writes.getMetrics().getAvailablePermissions() > 1;
    }

    /** Whether the circuit breaker lets calls through. */
    public boolean available() {
        return breaker.getState() != CircuitBreaker.State.OPEN && breaker.getState() != CircuitBreaker.State.FORCED_OPEN;
    }

    /** A failure worth retrying: the API server may answer differently in a moment. */
    static boolean isTransient(Throwable failure) {
        if (failure instanceof CallNotPermittedException || failure instanceof RequestNotPermitted) {
            return false;
        }
        if (failure instanceof KubernetesClientException kubernetes) {
            int code = kubernetes.getCode();
            if (code == 409 || code == 429 || code >= 500) {
                return true;
            }
            if (code > 0) {
                return false;
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof IOException
                    || cause.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    /** A one-line description of a failure for a status message or a log line. */
    public static String describe(Throwable failure) {
        if (failure instanceof CallNotPermittedException) {
            return "API server circuit breaker is open after repeated failures";
        }
        if (failure instanceof RequestNotPermitted) {
            return "write rate limit: no permit within 30 s";
        }
        if (failure instanceof KubernetesClientException kubernetes && kubernetes.getCode() > 0) {
            String message = answer(kubernetes);
            return "API server answered " + kubernetes.getCode() + (message == null ? "" : ": " + message);
        }
        return failure.toString();
    }

    /** The API server's own words: its Status's message, else the client's (a failure may carry no Status). */
    private static String answer(KubernetesClientException failure) {
        if (failure.getStatus() != null && failure.getStatus().getMessage() != null
                && !failure.getStatus().getMessage().isBlank()) {
            return failure.getStatus().getMessage();
        }
        return failure.getMessage();
    }
}
