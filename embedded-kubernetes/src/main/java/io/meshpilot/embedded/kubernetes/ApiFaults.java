package io.meshpilot.embedded.kubernetes;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Faults injected into an embedded API server for a window of time: answers with an error status, or slow answers,
 * to the requests a predicate picks (by default every write). Outside the window requests reach the CRUD store
 * untouched. For fault tests and the sandbox's chaos steps.
 */
public final class ApiFaults {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    /** One fault: an error status, or a delay before the real answer. */
    private record Fault(Predicate<RecordedRequest> matches, int status, Duration delay, Instant until) {
    }

    private final Clock clock;
    private final AtomicReference<Fault> fault = new AtomicReference<>();
    private final AtomicInteger injected = new AtomicInteger();

    ApiFaults(Clock clock) {
        this.clock = clock;
    }

    /** Picks the requests that change something: POST, PUT, PATCH and DELETE. */
    public static Predicate<RecordedRequest> writes() {
        return request -> WRITES.contains(request.getMethod());
    }

    /** Picks the writes to one kind of resource, by its plural name in the path, e.g. {@code services}. */
    public static Predicate<RecordedRequest> writesTo(String resource) {
        return request -> WRITES.contains(request.getMethod())
                && (request.getPath().contains("/" + resource + "/") || request.getPath().contains("/" + resource + "?")
                || request.getPath().endsWith("/" + resource));
    }

    /** Answers the picked requests with {@code status} (e.g. 500, 409) for the window, without touching the store. */
    public void fail(Predicate<RecordedRequest> requests, int status, Duration window) {
        fault.set(new Fault(requests, status, Duration.ZERO, clock.instant().plus(window)));
    }

    /** Answers the picked requests only after {@code delay} for the window (the change itself is made at once). */
    public void slow(Predicate<RecordedRequest> requests, Duration delay, Duration window) {
        fault.set(new Fault(requests, 0, delay, clock.instant().plus(window)));
    }

    public void clear() {
        fault.set(null);
    }

    /** How many requests got a fault so far. */
    public int injected() {
        return injected.get();
    }

    /** The fault for this request, if one is injected now; a slow fault delays the store's answer. */
    Optional<MockResponse> intercept(RecordedRequest request, Dispatcher store) {
        Fault current = fault.get();
        if (current == null || clock.instant().isAfter(current.until()) || !current.matches().test(request)) {
            return Optional.empty();
        }
        injected.incrementAndGet();
        if (current.status() > 0) {
            return Optional.of(new MockResponse().setResponseCode(current.status())
                    .setHeader("Content-Type", "application/json")
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
                            + "\"injected fault\",\"code\":" + current.status() + "}"));
        }
        return Optional.of(store.dispatch(request).setBodyDelay(current.delay()));
    }
}
