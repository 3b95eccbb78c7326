package io.meshpilot.benchmarks.endtoend;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.meshpilot.agent.AgentSettings;
import io.meshpilot.agent.RegionAgent;
import io.meshpilot.agent.kubernetes.KubernetesCalls;
import io.meshpilot.benchmarks.load.HeapHistogram;
import io.meshpilot.controlplane.ControlPlane;
import io.meshpilot.controlplane.ControlPlaneSettings;
import io.meshpilot.embedded.kubernetes.real.RealRegions;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.kafka.TopicProvisioner;
import io.meshpilot.runtime.Await;
import io.meshpilot.schemas.KubernetesContract;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.schemas.Topics;
import io.meshpilot.schemas.TrafficPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One end-to-end run at one size: real API servers (one per region), the region agents as shipped (informers,
 * coalescing, the applier, Events), the real control plane and the broker. The harness writes EndpointSlices with a
 * plain client and sees the annotations with a watch of its own; it measures the agents' start, convergence, event-to-
 * applied latency with the floor beside it, a region's outage, the API server's patch ceiling, and the agents' heap.
 */
final class EndToEndRun {

    private static final Duration LONG_WAIT = Duration.ofMinutes(15);
    private static final int WRITERS = 8;
    private static final int CREATORS = 32;
    /**
     * The agents', the control plane's and the harness's Vert.x report an event loop blocked past 1 s, each time with
     * its stack (Vert.x's defaults: 2 s, the stack only past 5 s).
     */
    static final Duration BLOCKED_LOOP = Duration.ofSeconds(1);

    private final EndToEndSettings settings;
    private final int services;
    private final int index;
    private final Expectations expectations = new Expectations();
    private final List<LoadedRegion> regions = new ArrayList<>();
    private final List<RegionAgent> agents = new ArrayList<>();
    private final Random random;
    private final ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
    private final Vertx harnessVertx = Vertx.vertx(vertxOptions());
    private final HttpClient.Factory http = new Vertx5HttpClientFactory(harnessVertx);

    private EndToEndRun(EndToEndSettings settings, int services, int index) {
        this.settings = settings;
        this.services = services;
        this.index = index;
        this.random = new Random(20261201L + index);
    }

    static EndToEndResult run(EndToEndSettings settings, String bootstrap, int services, int index) {
        EndToEndRun run = new EndToEndRun(settings, services, index);
        try {
            return run.measure(KafkaSettings.bootstrap(bootstrap));
        } finally {
            run.close();
        }
    }

    private EndToEndResult measure(KafkaSettings kafka) {
        String loadBefore = load();
        Topics topics = new Topics("e2e" + services + "r" + index + "x" + System.nanoTime() % 100_000
                + ".meshpilot");
        String floorA = topics.prefix() + ".floor-a";
        String floorB = topics.prefix() + ".floor-b";
        try (Admin admin = Admin.create(kafka.admin("end-to-end"))) {
            new TopicProvisioner(admin, topics, TopicProvisioner.Layout.SINGLE_BROKER).provision(settings.regions());
            admin.createTopics(List.of(new NewTopic(floorA, 1, (short) 1), new NewTopic(floorB, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the topics: " + e, e);
        }
        try (RecordSender policies = new RecordSender(kafka.producer("end-to-end"), "end-to-end")) {
            Await.result(policies.send(topics.policies(), "*", new TrafficPolicy("*", null, null, null, 0, 0,
                    null, null, null, null)), Duration.ofSeconds(30), "the policy");
        }
        ExecutorService creators = Executors.newFixedThreadPool(CREATORS);
        try {
            for (int i = 0; i < settings.regions().size(); i++) {
                String name = settings.regions().get(i);
                LoadedRegion region = new LoadedRegion(name, RealRegions.acquire(name, i + 1), services, http);
                regions.add(region);
                region.create(creators);
                region.watch(expectations);
            }
        } finally {
            creators.shutdownNow();
        }
        LoadedRegion first = regions.get(0);
        first.client().services().resource(new ServiceBuilder().withNewMetadata().withName("floor")
                .withNamespace(LoadedRegion.NAMESPACE).endMetadata().withNewSpec().withClusterIP("None")
                .addNewPort().withPort(80).endPort().endSpec().build()).create();

        long heapBefore = settledHeap();
        long agentsStarting = System.nanoTime();
        for (LoadedRegion region : regions) {
            agents.add(RegionAgent.start(agentSettings(region, topics, kafka), Clock.systemUTC(), vertxOptions()));
        }
        for (RegionAgent agent : agents) {
            Await.result(agent.ready(), LONG_WAIT, "the agent of " + agent.region() + " to be ready");
        }
        double agentsStart = seconds(agentsStarting);
        progress("agents started in %.1f s", agentsStart);
        require(expectations.await(() -> agents.stream().allMatch(RegionAgent::leading), LONG_WAIT),
                "every agent to lead its region");
        double heapPerService = (settledHeap() - heapBefore) / ((double) services * regions.size());

        long converging = System.nanoTime();
        try (ControlPlane controlPlane = ControlPlane.start(ControlPlaneSettings.of(kafka, topics, "e2e-0")
                .withRegionDiscoveryInterval(Duration.ofSeconds(1)), Clock.systemUTC(), vertxOptions());
                KubernetesClient floorClient = LoadedRegion.client(first.api(), http);
                Floor floor = new Floor(kafka, floorA, floorB, floorClient, "floor").start()) {
            require(expectations.await(() -> regions.stream().allMatch(region -> region.home() >= services),
                    LONG_WAIT), "every Service applied local in every region");
            double convergence = seconds(converging);
            progress("converged in %.1f s; agent heap %.0f B per watched Service", convergence, heapPerService);
            changes(settings.latencyWindow().dividedBy(4));
            awaitResolved();
            expectations.clearLatencies();
            long windowStart = System.nanoTime();
            changes(settings.latencyWindow());
            long windowEnd = System.nanoTime();
            awaitResolved();
            // the floor at the same moment as the changes: every sample sent while they were made, none after
            List<Long> floorSamples = floor.sentBetween(windowStart, windowEnd, Duration.ofSeconds(60));
            int unresolved = expectations.pending();
            List<Long> latencies = expectations.latencies();
            progress("event-to-applied p50 %.1f ms p99 %.1f ms (%d, %d unresolved), floor p99 %.1f ms",
                    EndToEndResult.percentile(latencies, 0.5), EndToEndResult.percentile(latencies, 0.99),
                    latencies.size(), unresolved, EndToEndResult.percentile(floorSamples, 0.99));
            restoreAll();
            double[] outage = outage();
            progress("outage: slices deleted in %.1f s, every Service failed over in %.1f s", outage[0],
                    expectations.outageAppliedTimes().get(services - 1) / 1e9);
            double ceiling = ceiling(first);
            String loadAfter = load();
            double appliedHeapPerService = heapGivenBackByTheAgents();
            progress("agent heap with every directive applied %.0f B per watched Service", appliedHeapPerService);
            return new EndToEndResult(services, index, regions.size(), loadBefore, loadAfter, agentsStart,
                    convergence, latencies, unresolved, floorSamples, outage[0], expectations.outageAppliedTimes(),
                    ceiling, heapPerService, appliedHeapPerService);
        }
    }

    private AgentSettings agentSettings(LoadedRegion region, Topics topics, KafkaSettings kafka) {
        return AgentSettings.of(region.name(), "agent-" + region.name(), topics, kafka, region.api().clientConfig())
                .withWatch(new AgentSettings.Watch(Map.of(KubernetesContract.MANAGED_LABEL, "true"),
                        List.of(LoadedRegion.NAMESPACE), settings.publishWindow(), Duration.ofMinutes(10),
                        Duration.ofSeconds(1)))
                .withWrites(new KubernetesCalls.Policy(Duration.ofSeconds(10), 5, Duration.ofMillis(200),
                        Duration.ofSeconds(10), settings.writeRate()))
                .withLeadership(AgentSettings.Leadership.fast(LoadedRegion.NAMESPACE))
                .withHttp(AgentSettings.Http.LOOPBACK)
                .withApply(new AgentSettings.Apply(settings.parallelism()));
    }

    /** {@code changesPerSecond} EndpointSlice changes for the window, each on a random Service and region. */
    private void changes(Duration window) {
        long period = 1_000_000_000L / settings.changesPerSecond();
        long next = System.nanoTime();
        long end = next + window.toNanos();
        while (next < end) {
            LockSupport.parkNanos(next - System.nanoTime());
            change();
            next += period;
        }
    }

    private void awaitResolved() {
        expectations.await(() -> expectations.pending() == 0, Duration.ofSeconds(60));
    }

    /**
     * One change on a Service and region whose previous change has been applied: back to 2 ready endpoints if it had
     * none, else to none if every region of it is healthy. The latency counts from the slice written.
     */
    private void change() {
        for (int attempt = 0; attempt < 20; attempt++) {
            ServiceKey service = LoadedRegion.key(random.nextInt(services));
            LoadedRegion region = regions.get(random.nextInt(regions.size()));
            if (regions.stream().anyMatch(any -> expectations.isPending(any.name(), service))) {
                continue;
            }
            if (region.ready(service) == 0) {
                region.setReady(service, 2);
                expectations.expect(region.name(), service, "local", System.nanoTime());
                return;
            }
            if (regions.stream().allMatch(other -> other.ready(service) > 0)) {
                region.setReady(service, 0);
                expectations.expect(region.name(), service, "remote", System.nanoTime());
                return;
            }
        }
    }

    private void restoreAll() {
        for (LoadedRegion region : regions) {
            for (int i = 0; i < services; i++) {
                ServiceKey service = LoadedRegion.key(i);
                if (region.ready(service) == 0) {
                    region.setReady(service, 2);
                    expectations.expect(region.name(), service, "local", System.nanoTime());
                }
            }
        }
        require(expectations.await(() -> expectations.pending() == 0, LONG_WAIT),
                "every Service back home after the latency run");
    }

    /**
     * Every Service of the first region loses its endpoints at once: the API server deletes every slice of the region
     * itself ({@link LoadedRegion#deleteAllSlices}), rather than the harness writing 10,000 slices one by one beside the
     * agent's patches, which paced the outage by the harness's own writes. The outage's clock starts as the deletions
     * are sent; returns when the API server answered them, in seconds since then (the Services' times are in the
     * expectations).
     */
    private double[] outage() {
        LoadedRegion region = regions.get(0);
        long start = System.nanoTime();
        expectations.startOutage(region.name(), start);
        region.deleteAllSlices(writers);
        double written = seconds(start);
        require(expectations.await(() -> expectations.outageApplied() >= services, LONG_WAIT),
                "every " + region.name() + " Service failed over");
        return new double[] {written};
    }

    /**
     * The API server's own patch throughput: {@code parallelism} plain client loops patching one annotation meshpilot
     * does not own onto the region's Services (what the agent's patches cost the API server, and its watches).
     */
    private double ceiling(LoadedRegion region) {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong patches = new AtomicLong();
        List<Future<?>> loops = new ArrayList<>();
        long start = System.nanoTime();
        for (int loop = 0; loop < settings.parallelism(); loop++) {
            int offset = loop;
            loops.add(writers.submit(() -> {
                for (int i = offset; running.get(); i += settings.parallelism()) {
                    ServiceKey service = LoadedRegion.key(i % services);
                    region.client().services().inNamespace(LoadedRegion.NAMESPACE).withName(service.name())
                            .patch(PatchContext.of(PatchType.JSON_MERGE),
                                    "{\"metadata\":{\"annotations\":{\"bench.meshpilot.io/ceiling\":\"" + i + "\"}}}");
                    patches.incrementAndGet();
                }
            }));
        }
        LockSupport.parkNanos(settings.ceilingWindow().toNanos());
        running.set(false);
        loops.forEach(EndToEndRun::join);
        return patches.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** A figure as soon as it is measured (a run that does not finish still tells what it measured). */
    private void progress(String format, Object... values) {
        System.err.printf("end-to-end %d Services, run %d: %s (load %s)%n", services, index,
                String.format(java.util.Locale.ROOT, format, values), load());
    }

    private static void join(Future<?> future) {
        try {
            future.get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("a write failed: " + e, e);
        }
    }

    /** The 1-, 5- and 15-minute load averages, as uptime prints them. */
    static String load() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The heap the agents hold at the end of the run, per watched Service: the heap with them running less the heap
     * once they are closed, nothing else changing in between (the control plane and the API servers are quiet); with
     * a class histogram of the difference, {@code agent-heap-<services>x<regions>-run<n>.csv}.
     */
    private double heapGivenBackByTheAgents() {
        long watched = (long) services * regions.size();
        HeapHistogram running = HeapHistogram.take();
        long withAgents = settledHeap();
        agents.forEach(RegionAgent::close);
        agents.clear();
        long closed = settledHeap();
        HeapHistogram.difference(running, HeapHistogram.take(), watched).write(settings.output()
                .resolve("agent-heap-" + services + "x" + regions.size() + "-run" + index + ".csv"));
        return (withAgents - closed) / (double) watched;
    }

    private static long settledHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
    }

    static VertxOptions vertxOptions() {
        return new VertxOptions().setBlockedThreadCheckInterval(500).setBlockedThreadCheckIntervalUnit(
                TimeUnit.MILLISECONDS).setMaxEventLoopExecuteTime(BLOCKED_LOOP.toMillis())
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS).setWarningExceptionTime(BLOCKED_LOOP.toMillis())
                .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
    }

    private void close() {
        agents.forEach(RegionAgent::close);
        regions.forEach(LoadedRegion::close);
        writers.shutdownNow();
        Await.result(harnessVertx.close().toCompletionStage(), Duration.ofSeconds(10), "the harness's Vert.x");
    }
}
