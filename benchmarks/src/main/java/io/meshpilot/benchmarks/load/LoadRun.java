package io.meshpilot.benchmarks.load;

import io.meshpilot.controlplane.ControlPlane;
import io.meshpilot.controlplane.ControlPlaneSettings;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.kafka.TopicProvisioner;
import io.meshpilot.runtime.Await;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.schemas.Topics;
import io.meshpilot.schemas.TrafficPolicy;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;

/**
 * One system (event-driven, or the polling baseline) at one size: start it with every Service healthy everywhere,
 * then measure record throughput, event-to-applied latency under background changes, a whole region's outage, and
 * (event-driven) the control plane's heap per Service-region.
 */
final class LoadRun {

    private static final Duration LONG_WAIT = Duration.ofMinutes(10);
    /** How often the end of a resync or of the throughput run is checked: their figures have this resolution. */
    private static final Duration RESYNC_CHECK = Duration.ofMillis(50);
    private static final Policy POLICY = new Policy("*", Policy.DEFAULT.mode(), 1, 0.0, Duration.ZERO, Duration.ZERO,
            Duration.ofSeconds(15), List.of(), 0, Set.of());

    private final HarnessSettings settings;
    private final int services;
    private final Probe probe = new Probe();
    private final List<SimulatedRegion> regions = new ArrayList<>();
    private final Random random = new Random(20261125);
    private int latencyUnresolved;
    private double resync = Double.NaN;
    private int staleSeen;
    private long lastStaleSample = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);

    private LoadRun(HarnessSettings settings, int services) {
        this.settings = settings;
        this.services = services;
        settings.regions().forEach(name -> regions.add(new SimulatedRegion(name, services, settings.writeRate(),
                probe)));
    }

    /** The real control plane on Kafka, the regions' agents reading and writing their topics. */
    static Result eventDriven(HarnessSettings settings, String bootstrap, int services) {
        LoadRun run = new LoadRun(settings, services);
        SimulatedAgents agents = null;
        try {
            KafkaSettings kafka = KafkaSettings.bootstrap(bootstrap);
            Topics topics = new Topics("load" + services + "x" + System.nanoTime() % 100_000 + ".meshpilot");
            try (Admin admin = Admin.create(kafka.admin("load-harness"))) {
                new TopicProvisioner(admin, topics, new TopicProvisioner.Layout(settings.partitions(), (short) 1))
                        .provision(settings.regions());
            }
            try (RecordSender policies = new RecordSender(kafka.producer("load-harness"), "load-harness")) {
                Await.result(policies.send(topics.policies(), "*", new TrafficPolicy("*", null, null, null, 0, 0,
                        null, null, null, null)), Duration.ofSeconds(30), "the policy");
            }
            agents = new SimulatedAgents(kafka, topics, run.regions);
            run.regions.forEach(SimulatedRegion::publishAll);
            Measured measured = run.againstControlPlane(ControlPlaneSettings.of(kafka, topics, "load-0")
                    .withRegionDiscoveryInterval(Duration.ofSeconds(1)));
            // The control plane is closed and the frame that held it gone: what it held can be collected now. Its heap
            // is the difference, nothing else having happened in between.
            long closed = settledHeap();
            HeapHistogram.difference(measured.histogram(), HeapHistogram.take(), services * run.regions.size())
                    .write(settings.output().resolve("heap-" + services + "x" + run.regions.size() + ".csv"));
            return measured.result().withControlPlaneHeap(measured.heapWithControlPlane() - closed);
        } finally {
            if (agents != null) {
                agents.close();
            }
            run.regions.forEach(SimulatedRegion::close);
        }
    }

    private record Measured(Result result, long heapWithControlPlane, HeapHistogram histogram) {
    }

    private Measured againstControlPlane(ControlPlaneSettings controlPlaneSettings) {
        long start = System.nanoTime();
        try (ControlPlane controlPlane = ControlPlane.start(controlPlaneSettings, Clock.systemUTC())) {
            awaitResync(controlPlane, start);
            double initial = awaitInitialConvergence(start, () -> sampleStale(controlPlane));
            System.out.println("regions stale at most, from the first directive published until every Service was "
                    + "applied everywhere: " + staleSeen + " (meshpilot_regions_stale; 0 unless an agent was silent)");
            double throughput = throughput(controlPlane);
            warmUp();
            double[] before = decisionLatency(controlPlane);
            List<Long> latencies = latency();
            double[] after = decisionLatency(controlPlane);
            double deciding = (after[0] - before[0]) / Math.max(1, after[1] - before[1]) * 1000;
            Result result = measure("event-driven", initial, throughput, latencies, deciding, Duration.ZERO);
            HeapHistogram histogram = HeapHistogram.take(); // before the heap, so both heaps include it
            return new Measured(result, settledHeap(), histogram);
        }
    }

    /** The timer-driven reconciler, reading the regions directly every {@code baselineInterval}. */
    static Result baseline(HarnessSettings settings, int services) {
        LoadRun run = new LoadRun(settings, services);
        long start = System.nanoTime();
        try (PollingReconciler reconciler = new PollingReconciler(run.regions, services, POLICY,
                settings.baselineInterval(), Clock.systemUTC()).start()) {
            double initial = run.awaitInitialConvergence(start);
            run.warmUp();
            List<Long> latencies = run.latency();
            // The restores were applied by a pass that just ended: start the outage at a random point of the next
            // interval, as an outage would, not always a whole interval before the next pass (the worst case).
            Duration phase = Duration.ofMillis(run.random.nextInt((int) settings.baselineInterval().toMillis()));
            return run.measure("baseline (polls every " + settings.baselineInterval().toSeconds() + " s)", initial,
                    Double.NaN, latencies, Double.NaN, phase);
        } finally {
            run.regions.forEach(SimulatedRegion::close);
        }
    }

    /**
     * After {@link #latency()}: brings every Service home, waits {@code phase}, runs the outage, and gathers the
     * figures.
     */
    private Result measure(String system, double initial, double throughput, List<Long> latencies,
            double deciding, Duration phase) {
        restoreAll();
        pause(phase);
        outage();
        List<Long> published = probe.outagePublishedTimes();
        List<Long> applied = probe.outageAppliedTimes();
        return new Result(system, services, regions.size(), initial, throughput, Result.percentile(latencies, 0.5),
                Result.percentile(latencies, 0.99), Result.percentile(latencies, 1.0), deciding, latencies.size(),
                latencyUnresolved, Result.lastSeconds(published), Result.lastSeconds(applied), Double.NaN, resync,
                latencies, published, applied);
    }

    /**
     * The full resync: the agents published every Service's health before the control plane started, so from its
     * start it reads every region's health topic from the beginning, as a restarted replica or a hand-over does.
     */
    private void awaitResync(ControlPlane controlPlane, long start) {
        long expected = (long) services * regions.size();
        long deadline = start + LONG_WAIT.toNanos();
        while (healthRead(controlPlane) < expected) {
            require(System.nanoTime() < deadline, "the control plane to read " + expected + " health records");
            // Each check scrapes the whole registry (at 255 regions, over a thousand partitions' series): every 5 ms
            // the harness's main thread took as much CPU as the control plane's observer during the resync it timed.
            LockSupport.parkNanos(RESYNC_CHECK.toNanos());
        }
        resync = (System.nanoTime() - start) / 1e9;
    }

    private double awaitInitialConvergence(long start) {
        return awaitInitialConvergence(start, () -> { });
    }

    /** Until every Service is applied everywhere; {@code sample} runs at each check. */
    private double awaitInitialConvergence(long start, Runnable sample) {
        require(probe.await(() -> {
            sample.run();
            return regions.stream().allMatch(region -> region.applied() >= services);
        }, LONG_WAIT), "every Service applied in every region at start");
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * The most regions the control plane took for silent once it decided (its first directive published): every
     * agent heartbeats every second throughout, so any is a misjudgement, e.g. of a region whose records are still
     * being read.
     */
    private void sampleStale(ControlPlane controlPlane) {
        long now = System.nanoTime();
        if (now - lastStaleSample < TimeUnit.MILLISECONDS.toNanos(100)) {
            return; // checked at every Service applied: a scrape each time would load the control plane
        }
        lastStaleSample = now;
        double stale = 0;
        double published = 0;
        for (MetricSnapshot snapshot : controlPlane.registry().scrape()) {
            String name = snapshot.getMetadata().getName();
            if (snapshot instanceof GaugeSnapshot gauge && name.equals("meshpilot_regions_stale")) {
                stale = gauge.getDataPoints().stream().mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue)
                        .sum();
            } else if (snapshot instanceof CounterSnapshot counter
                    && name.equals("meshpilot_directives_published")) {
                published = counter.getDataPoints().stream()
                        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
            }
        }
        if (published > 0) {
            staleSeen = Math.max(staleSeen, (int) stale);
        }
    }

    /**
     * Health records the control plane reads per second: every region republishes every Service's health three
     * times (3, 4, then back to 2 ready endpoints: counts that change no decision), timed from the first send until
     * the control plane has read them all.
     */
    private double throughput(ControlPlane controlPlane) {
        int[] counts = {3, 4, 2};
        double before = healthRead(controlPlane);
        long expected = (long) counts.length * services * regions.size();
        long start = System.nanoTime();
        for (int count : counts) {
            for (SimulatedRegion region : regions) {
                for (int i = 0; i < services; i++) {
                    region.setReady(SimulatedRegion.key(i), count);
                }
            }
        }
        long deadline = start + LONG_WAIT.toNanos();
        while (healthRead(controlPlane) - before < expected) {
            require(System.nanoTime() < deadline, "the control plane to read " + expected + " health records");
            LockSupport.parkNanos(RESYNC_CHECK.toNanos());
        }
        return expected / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * The sum and count of the control plane's {@code meshpilot_decision_latency_seconds} (health observed by an
     * agent to the directive committed): the share of the event-to-applied latency spent up to publication.
     */
    private static double[] decisionLatency(ControlPlane controlPlane) {
        for (MetricSnapshot snapshot : controlPlane.registry().scrape()) {
            if (snapshot instanceof HistogramSnapshot histogram
                    && histogram.getMetadata().getName().equals("meshpilot_decision_latency_seconds")) {
                var point = histogram.getDataPoints().get(0);
                return new double[] {point.getSum(), point.getCount()};
            }
        }
        return new double[] {0, 0};
    }

    private static double healthRead(ControlPlane controlPlane) {
        for (MetricSnapshot snapshot : controlPlane.registry().scrape()) {
            if (snapshot instanceof CounterSnapshot counter
                    && counter.getMetadata().getName().equals("meshpilot_records_received")) {
                return counter.getDataPoints().stream()
                        .filter(point -> "health".equals(point.getLabels().get("topic")))
                        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
            }
        }
        return 0;
    }

    /**
     * {@code changesPerSecond} health changes for {@code latencyWindow}, each on a random Service and region: each must
     * end with the affinity it calls for, and the time from the change to that annotation being applied is a sample.
     */
    /** A quarter of {@code latencyWindow} of changes, not measured. */
    private void warmUp() {
        changes(settings.latencyWindow().dividedBy(4));
    }

    /** Latency samples of {@code latencyWindow} of changes. */
    private List<Long> latency() {
        probe.clearLatencies();
        changes(settings.latencyWindow());
        latencyUnresolved = probe.pending();
        return probe.latencies();
    }

    private void changes(Duration window) {
        long period = 1_000_000_000L / settings.changesPerSecond();
        long next = System.nanoTime();
        long end = next + window.toNanos();
        while (next < end) {
            LockSupport.parkNanos(next - System.nanoTime());
            change();
            next += period;
        }
        probe.await(() -> probe.pending() == 0, Duration.ofSeconds(60));
    }

    /**
     * One change on a Service and region whose previous change has been applied (so every change is one the system
     * must act on): back to 2 endpoints if it had none, else to none if every region of it is healthy.
     */
    private void change() {
        for (int attempt = 0; attempt < 20; attempt++) {
            ServiceKey service = SimulatedRegion.key(random.nextInt(services));
            SimulatedRegion region = regions.get(random.nextInt(regions.size()));
            if (regions.stream().anyMatch(any -> probe.isPending(any.name(), service))) {
                continue;
            }
            long now = System.nanoTime();
            if (region.ready(service) == 0) {
                probe.expect(region.name(), service, "local", now);
                region.setReady(service, 2);
                return;
            }
            if (regions.stream().allMatch(other -> other.ready(service) > 0)) {
                probe.expect(region.name(), service, "remote", now);
                region.setReady(service, 0);
                return;
            }
        }
    }

    private void restoreAll() {
        long now = System.nanoTime();
        for (SimulatedRegion region : regions) {
            for (int i = 0; i < services; i++) {
                ServiceKey service = SimulatedRegion.key(i);
                if (region.ready(service) == 0) {
                    probe.expect(region.name(), service, "local", now);
                    region.setReady(service, 2);
                }
            }
        }
        require(probe.await(() -> probe.pending() == 0, LONG_WAIT), "every Service back home after the latency run");
    }

    /** Every Service of the first region loses every endpoint at once. */
    private void outage() {
        SimulatedRegion region = regions.get(0);
        probe.startOutage(region.name(), System.nanoTime());
        for (int i = 0; i < services; i++) {
            region.setReady(SimulatedRegion.key(i), 0);
        }
        require(probe.await(() -> probe.outageApplied() >= services, LONG_WAIT),
                "every " + region.name() + " Service failed over");
    }

    private static void pause(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private static long settledHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
    }
}
