package io.meshpilot.agent.directives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshpilot.agent.AgentMetrics;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.DirectiveStatus.Result;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.testing.ManualTime;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The applier as a controller, on manual time: the API server is a map of Services whose patches the test lands or
 * fails when it chooses, and a landed patch is shown back as the informer would show it.
 */
class DirectiveApplierTest {

    private final ManualTime time = new ManualTime(Instant.parse("2026-12-01T00:00:00Z"));
    private final Map<ServiceKey, Service> cluster = new HashMap<>();
    private final List<Patch> patches = new ArrayList<>();
    private final List<DirectiveStatus> statuses = new ArrayList<>();
    private final List<ServiceEvent> events = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private boolean sparePermit = true;
    private DirectiveApplier applier;

    /** A patch the applier asked for, not answered yet. */
    private record Patch(Service current, ServiceDirective directive, BooleanSupplier stillWanted,
            CompletableFuture<Service> answer) {
    }

    private DirectiveApplier applier(int parallelism) {
        applier = new DirectiveApplier(new DirectiveApplier.Parts("us", parallelism,
                key -> Optional.ofNullable(cluster.get(key)), this::patch, this::event, () -> sparePermit,
                new StatusReporter(this::status, "us", "agent-us-0", time, time),
                (received, why) -> refused.add(why), new AgentMetrics(new PrometheusRegistry()),
                key -> Optional.empty(), time, time, java.util.function.UnaryOperator.identity()));
        return applier;
    }

    @Test
    void theNewestDirectiveSupersedesAnOlderOneStillBeingWritten() {
        service("a");
        applier(4).activate();
        applier.offer(directive("a", 1, "remote"));
        Patch first = onlyUnanswered();

        applier.offer(directive("a", 2, "local"));

        assertThat(first.stillWanted().getAsBoolean()).isFalse();
        assertThat(unanswered()).as("one write at a time per Service").hasSize(1);
        fail(first, new ServiceAnnotator.Superseded(first.directive()));
        land(onlyUnanswered());
        assertThat(statuses).extracting(DirectiveStatus::version, DirectiveStatus::result)
                .containsExactly(tuple(2L, Result.APPLIED));
        assertThat(annotations("a")).containsEntry("service.cilium.io/affinity", "local");
    }

    @Test
    void anOlderWriteThatLandsAfterBeingSupersededReportsNothingAndTheNewestIsWritten() {
        service("a");
        applier(4).activate();
        applier.offer(directive("a", 1, "remote"));
        Patch first = onlyUnanswered();
        applier.offer(directive("a", 2, "local"));

        land(first);
        land(onlyUnanswered());

        assertThat(statuses).extracting(DirectiveStatus::version).containsExactly(2L);
        assertThat(annotations("a")).containsEntry("meshpilot.io/directive-version", "2");
    }

    @Test
    void aWithdrawnDirectiveTakesItsStatusWithItAndIsNotReportedAfterAnOutage() {
        service("a");
        service("b");
        applier(4).activate();
        applier.offer(directive("a", 1, "remote"));
        applier.offer(directive("b", 1, "remote"));
        land(unanswered().get(0));
        land(onlyUnanswered());
        statuses.clear();

        applier.withdrawn(key("a"));
        applier.resendStatuses();

        assertThat(statuses).extracting(DirectiveStatus::service).containsExactly("b");
    }

    @Test
    void aNewerDirectiveCancelsTheRetryOfAFailedOne() {
        service("a");
        applier(4).activate();
        applier.offer(directive("a", 1, "remote"));
        fail(onlyUnanswered(), unavailable());
        assertThat(applier.retriesPending()).isEqualTo(1);
        assertThat(statuses).extracting(DirectiveStatus::result).containsExactly(Result.FAILED);

        applier.offer(directive("a", 2, "local"));

        assertThat(applier.retriesPending()).isZero();
        land(onlyUnanswered());
        time.advance(Duration.ofMinutes(5));
        assertThat(patches).extracting(patch -> patch.directive().version()).containsExactly(1L, 2L);
        assertThat(statuses).extracting(DirectiveStatus::version, DirectiveStatus::result).containsExactly(
                tuple(1L, Result.FAILED),
                tuple(2L, Result.APPLIED));
    }

    @Test
    void aFailureTheApiServerAnsweredWithoutAStatusIsReportedAndRetried() {
        service("a");
        applier(4).activate();
        applier.offer(directive("a", 1, "remote"));

        fail(onlyUnanswered(), new KubernetesClientException("Service Unavailable", 503, null));

        assertThat(statuses).extracting(DirectiveStatus::result, DirectiveStatus::message)
                .containsExactly(tuple(Result.FAILED, "API server answered 503: Service Unavailable"));
        assertThat(applier.retriesPending()).isEqualTo(1);
        assertThat(applier.writing()).isZero();
    }

    @Test
    void aFailedWriteIsRetriedByKeyWithBackoff() {
        service("a");
        applier(4).activate();
        applier.offer(directive("a", 1, "remote"));
        fail(onlyUnanswered(), unavailable());

        time.advance(Duration.ofMillis(999));
        assertThat(unanswered()).isEmpty();
        time.advance(Duration.ofMillis(1));
        fail(onlyUnanswered(), unavailable());
        time.advance(Duration.ofMillis(1999));
        assertThat(unanswered()).isEmpty();
        time.advance(Duration.ofMillis(1));
        land(onlyUnanswered());

        assertThat(statuses).extracting(DirectiveStatus::result)
                .containsExactly(Result.FAILED, Result.FAILED, Result.APPLIED);
        assertThat(applier.retriesPending()).isZero();
    }

    @Test
    void aStuckServiceDoesNotHoldBackTheOthers() {
        List.of("stuck", "b", "c").forEach(this::service);
        applier(2).activate();
        applier.offer(directive("stuck", 1, "remote"));
        applier.offer(directive("b", 1, "remote"));
        applier.offer(directive("c", 1, "remote"));

        land(unansweredFor("b"));
        land(unansweredFor("c"));

        assertThat(statuses).extracting(DirectiveStatus::service, DirectiveStatus::result).containsExactly(
                tuple("b", Result.APPLIED),
                tuple("c", Result.APPLIED));
        assertThat(unanswered()).extracting(patch -> patch.directive().service()).containsExactly("stuck");
    }

    @Test
    void writesAtMostTheParallelismAtOnce() {
        List<String> names = IntStream.range(0, 10).mapToObj(i -> "s" + i).toList();
        names.forEach(this::service);
        applier(3).activate();
        names.forEach(name -> applier.offer(directive(name, 1, "remote")));

        int most = 0;
        while (!unanswered().isEmpty()) {
            most = Math.max(most, unanswered().size());
            land(unanswered().get(0));
        }

        assertThat(most).isEqualTo(3);
        assertThat(statuses).hasSize(10).allMatch(status -> status.result() == Result.APPLIED);
    }

    @Test
    void aServiceFoundInSyncReportsApplied() {
        service("a");
        applier(4).activate();
        applier.offer(directive("a", 1, "remote"));
        Patch timedOut = onlyUnanswered();
        Service landed = landed(timedOut);

        fail(timedOut, new KubernetesClientException("timeout", new java.net.SocketTimeoutException("timeout")));
        applier.observed(landed);

        assertThat(statuses).extracting(DirectiveStatus::result).containsExactly(Result.FAILED, Result.APPLIED);
        assertThat(applier.retriesPending()).as("the retry is over").isZero();
        time.advance(Duration.ofMinutes(5));
        assertThat(patches).hasSize(1);
    }

    @Test
    void aServiceAlreadyCarryingItsDirectiveReportsAppliedWithoutAWrite() {
        cluster.put(key("a"), withAnnotations(service("a"), Map.of("service.cilium.io/global", "true",
                "service.cilium.io/shared", "true", "service.cilium.io/affinity", "remote",
                "meshpilot.io/directive-version", "1"), "7"));
        applier(4);
        applier.offer(directive("a", 1, "remote"));

        applier.activate();

        assertThat(patches).isEmpty();
        assertThat(statuses).extracting(DirectiveStatus::result, DirectiveStatus::message)
                .containsExactly(tuple(Result.APPLIED, "found in sync"));
    }

    @Test
    void eventsAreWrittenAfterThePatchesThatWait() {
        List.of("a", "b", "c").forEach(this::service);
        applier(1).activate();
        List.of("a", "b", "c").forEach(name -> applier.offer(directive(name, 1, "remote")));

        land(onlyUnanswered());
        land(onlyUnanswered());
        assertThat(events).as("patches are waiting").isEmpty();
        land(onlyUnanswered());

        assertThat(events).extracting(event -> event.identity().service().name()).containsExactly("a", "b", "c");
        assertThat(events).allSatisfy(event -> assertThat(event.identity().reason()).isEqualTo("AffinityChanged"));
    }

    @Test
    void eventsWaitForASpareWritePermit() {
        service("a");
        sparePermit = false;
        applier(1).activate();
        applier.offer(directive("a", 1, "remote"));
        land(onlyUnanswered());
        time.advance(Duration.ofSeconds(1));
        assertThat(events).isEmpty();

        sparePermit = true;
        time.advance(EventRecorder.RECHECK);

        assertThat(events).hasSize(1);
    }

    @Test
    void aManualEditIsRevertedOnceTheInformerShowsIt() {
        service("a");
        applier(4).activate();
        applier.offer(directive("a", 1, "remote"));
        land(onlyUnanswered());
        Service edited = withAnnotations(cluster.get(key("a")), Map.of("service.cilium.io/affinity", "local"), "99");
        cluster.put(key("a"), edited);

        applier.observed(edited);
        land(onlyUnanswered());

        assertThat(statuses).extracting(DirectiveStatus::message).containsExactly(null, "reverted a manual edit");
        assertThat(events).extracting(event -> event.identity().reason())
                .containsExactly("AffinityChanged", "DriftReverted");
    }

    @Test
    void waitsForTheInformerToShowItsOwnPatchBeforeWritingAgain() {
        service("a");
        applier(4).activate();
        applier.offer(directive("a", 1, "remote"));
        Patch patch = onlyUnanswered();
        Service cached = cluster.get(key("a"));
        patch.answer().complete(landed(patch));
        cluster.put(key("a"), cached); // the API server answered; the informer has not shown it yet

        applier.offer(directive("a", 1, "remote")); // the same directive again

        assertThat(unanswered()).isEmpty();
        assertThat(patches).hasSize(1);
    }

    private CompletionStage<Service> patch(Service current, ServiceDirective directive, BooleanSupplier wanted) {
        Patch patch = new Patch(current, directive, wanted, new CompletableFuture<>());
        patches.add(patch);
        return patch.answer();
    }

    private CompletionStage<String> event(ServiceEvent event) {
        events.add(event);
        return CompletableFuture.completedFuture("event-" + events.size());
    }

    private CompletionStage<?> status(DirectiveStatus status) {
        statuses.add(status);
        return CompletableFuture.completedFuture(null);
    }

    private List<Patch> unanswered() {
        return patches.stream().filter(patch -> !patch.answer().isDone()).toList();
    }

    private Patch onlyUnanswered() {
        assertThat(unanswered()).hasSize(1);
        return unanswered().get(0);
    }

    private Patch unansweredFor(String name) {
        return unanswered().stream().filter(patch -> patch.directive().service().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no write under way for " + name));
    }

    /** The API server applies the patch and answers; the informer then shows the Service. */
    private void land(Patch patch) {
        Service landed = landed(patch);
        patch.answer().complete(landed);
        applier.observed(landed);
    }

    private Service landed(Patch patch) {
        Map<String, String> wanted = OwnedAnnotations.wantedBy(patch.directive());
        Service current = cluster.get(patch.directive().key());
        Service landed = withAnnotations(current, wanted,
                Long.toString(Long.parseLong(current.getMetadata().getResourceVersion()) + 1));
        cluster.put(patch.directive().key(), landed);
        return landed;
    }

    private void fail(Patch patch, RuntimeException failure) {
        patch.answer().completeExceptionally(failure);
    }

    private Map<String, String> annotations(String name) {
        return cluster.get(key(name)).getMetadata().getAnnotations();
    }

    private Service service(String name) {
        Service service = new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withUid("uid-" + name).withResourceVersion("1").withAnnotations(Map.of()).endMetadata().build();
        cluster.put(key(name), service);
        return service;
    }

    private static Service withAnnotations(Service service, Map<String, String> annotations, String version) {
        Map<String, String> merged = new HashMap<>(service.getMetadata().getAnnotations());
        merged.putAll(annotations);
        return new ServiceBuilder(service).editMetadata().withAnnotations(merged).withResourceVersion(version)
                .endMetadata().build();
    }

    private static KubernetesClientException unavailable() {
        return new KubernetesClientException(new StatusBuilder().withCode(503).withMessage("unavailable").build());
    }

    private static ServiceKey key(String name) {
        return new ServiceKey("default", name);
    }

    private static Received directive(String name, long version, String affinity) {
        ServiceDirective directive = new ServiceDirective("us", "default", name, version,
                Map.of("service.cilium.io/global", "true", "service.cilium.io/shared", "true",
                        "service.cilium.io/affinity", affinity), "local-degraded", Instant.EPOCH);
        return new Received(directive, "meshpilot.us.directives", 0, version);
    }
}
