package io.meshpilot.benchmarks.load;

import io.meshpilot.controlplane.shard.ControlPlaneShard;
import io.meshpilot.controlplane.shard.DecisionMetrics;
import io.meshpilot.controlplane.shard.Inbound;
import io.meshpilot.controlplane.shard.Output;
import io.meshpilot.controlplane.shard.RecordOrigin;
import io.meshpilot.controlplane.shard.Result;
import io.meshpilot.controlplane.shard.ResultTimers;
import io.meshpilot.core.routing.CacheTtls;
import io.meshpilot.runtime.timers.Scheduler;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.MeshRecord;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The control plane's shard alone (world model, liveness, policies, decision loop and its bookkeeping) at any size,
 * without Kafka, Vert.x or HTTP: every region's agent is heard, every Service's health is read in every region, the
 * shard owns every partition and decides, its results are committed, and the directives and the agents' Applied
 * statuses are read back, as on the topics, until nothing more is published. Then the heap it retains is measured
 * (after full collections) with a class histogram, written to {@code benchmarks/target/shard-heap-<services>x<regions>
 * .csv}. Records are encoded and decoded as they would arrive, and keys parsed from strings as the runtime does.
 * {@code java -cp benchmarks.jar io.meshpilot.benchmarks.load.ShardHeap [services regions]...}.
 */
public final class ShardHeap {

    private static final Path OUTPUT = Path.of("benchmarks", "target");
    private static final int PARTITIONS = 6;

    private ShardHeap() {
    }

    public static void main(String[] args) {
        List<int[]> sizes = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            sizes.add(new int[] {Integer.parseInt(args[i]), Integer.parseInt(args[i + 1])});
        }
        if (sizes.isEmpty()) {
            sizes = List.of(new int[] {10_000, 3}, new int[] {100_000, 3}, new int[] {200, 255});
        }
        for (int[] size : sizes) {
            measure(size[0], size[1]);
        }
    }

    /** Timers due now run in order when {@link #runDue()} is called; later ones wait (held, as a real loop's are). */
    private static final class QueuedTimers implements Scheduler {
        private final Deque<Runnable> due = new ArrayDeque<>();
        private final List<Runnable> later = new ArrayList<>();

        @Override
        public Scheduled after(Duration delay, Runnable action) {
            boolean[] cancelled = new boolean[1];
            Runnable guarded = () -> {
                if (!cancelled[0]) {
                    action.run();
                }
            };
            if (delay.isZero() || delay.isNegative()) {
                due.add(guarded);
            } else {
                later.add(guarded);
            }
            return () -> cancelled[0] = true;
        }

        boolean runDue() {
            boolean ran = !due.isEmpty();
            while (!due.isEmpty()) {
                due.poll().run();
            }
            return ran;
        }
    }

    /** A clock that moves a microsecond at each reading, so records and decisions are ordered as on a real one. */
    private static final class SteppingClock extends Clock {
        private Instant now = Instant.parse("2026-12-02T05:00:00Z");

        @Override
        public Instant instant() {
            now = now.plusNanos(1_000);
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    static double measure(int services, int regionCount) {
        RecordCodec codec = RecordCodec.get();
        List<String> regions = regionCount == 3 ? List.of("us", "eu", "ap")
                : java.util.stream.IntStream.rangeClosed(1, regionCount).mapToObj(i -> String.format("r%03d", i))
                        .toList();
        HeapHistogram before = HeapHistogram.take();
        long heapBefore = settledHeap();
        SteppingClock clock = new SteppingClock();
        QueuedTimers timers = new QueuedTimers();
        List<Result> pending = new ArrayList<>();
        ControlPlaneShard shard = new ControlPlaneShard(new ResultTimers(timers, pending::add), clock,
                DecisionMetrics.NONE, CacheTtls.NEVER);
        long[] offset = {0};
        for (String region : regions) {
            shard.replay(new Inbound.Heartbeat(origin(region + ".heartbeat", 0, offset), region, read(codec,
                    new AgentHeartbeat(region, "sim-" + region, "bench", clock.instant(), services, true))));
        }
        for (int i = 0; i < services; i++) {
            String key = SimulatedRegion.NAMESPACE + "/svc-" + i;
            int partition = Math.floorMod(key.hashCode(), PARTITIONS);
            for (String region : regions) {
                ServiceKey service = ServiceKey.parse(key).orElseThrow();
                pending.add(shard.replay(new Inbound.Health(origin(region + ".health", partition, offset), region,
                        service, Optional.of(read(codec, new ServiceHealth(region, service.namespace(),
                                service.name(), new EndpointCounts(2, 2, 0, 2, 2), clock.instant(),
                                "sim-" + region))))));
            }
        }
        for (int partition = 0; partition < PARTITIONS; partition++) {
            pending.add(shard.own(partition));
        }
        long[] directives = {0};
        int rounds = settle(shard, codec, timers, pending, offset, directives);
        long heapAfter = settledHeap();
        HeapHistogram after = HeapHistogram.take();
        long serviceRegions = (long) services * regionCount;
        double perServiceRegion = (heapAfter - heapBefore) / (double) serviceRegions;
        System.out.println(String.format(Locale.ROOT, "shard, %d Services x %d regions: %.0f B per Service-region "
                + "(%d Services held, %d directives in %d rounds)", services, regionCount, perServiceRegion,
                shard.world().size(), directives[0], rounds));
        HeapHistogram.difference(after, before, serviceRegions)
                .write(OUTPUT.resolve("shard-heap-" + services + "x" + regionCount + ".csv"));
        // then, as the load harness ends: every Service of the first region loses its endpoints, and fails over
        String down = regions.get(0);
        for (int i = 0; i < services; i++) {
            String key = SimulatedRegion.NAMESPACE + "/svc-" + i;
            ServiceKey service = ServiceKey.parse(key).orElseThrow();
            pending.add(shard.replay(new Inbound.Health(origin(down + ".health", Math.floorMod(key.hashCode(),
                    PARTITIONS), offset), down, service, Optional.of(read(codec, new ServiceHealth(down,
                    service.namespace(), service.name(), new EndpointCounts(0, 0, 0, 0, 2), clock.instant(),
                    "sim-" + down))))));
        }
        rounds = settle(shard, codec, timers, pending, offset, directives);
        long heapOutage = settledHeap();
        HeapHistogram outage = HeapHistogram.take();
        System.out.println(String.format(Locale.ROOT, "shard, %d Services x %d regions, %s failed over: %.0f B per "
                + "Service-region (%d directives in all, %d rounds)", services, regionCount, down,
                (heapOutage - heapBefore) / (double) serviceRegions, directives[0], rounds));
        HeapHistogram.difference(outage, before, serviceRegions)
                .write(OUTPUT.resolve("shard-heap-" + services + "x" + regionCount + "-outage.csv"));
        java.lang.ref.Reference.reachabilityFence(shard);
        java.lang.ref.Reference.reachabilityFence(timers);
        return perServiceRegion;
    }

    /** Commits what is pending and reads its directives and statuses back, until nothing more is published. */
    private static int settle(ControlPlaneShard shard, RecordCodec codec, QueuedTimers timers, List<Result> pending,
            long[] offset, long[] directives) {
        int rounds = 0;
        while (true) {
            timers.runDue();
            if (pending.isEmpty()) {
                break;
            }
            List<Result> taken = List.copyOf(pending);
            pending.clear();
            taken.forEach(result -> result.onCommit().forEach(Runnable::run));
            for (Result result : taken) {
                for (Output output : result.outputs()) {
                    if (output instanceof Output.Directive sent) {
                        directives[0]++;
                        readBack(shard, codec, sent, pending, offset);
                    }
                }
            }
            rounds++;
        }
        return rounds;
    }

    /** The directive read back from its topic, and its agent's Applied status after it. */
    private static void readBack(ControlPlaneShard shard, RecordCodec codec, Output.Directive sent,
            List<Result> pending, long[] offset) {
        ServiceDirective directive = read(codec, sent.directive());
        String region = directive.region();
        String key = directive.namespace() + "/" + directive.service();
        pending.add(shard.replay(new Inbound.Directive(origin(region + ".directives", sent.partition(), offset),
                region, ServiceKey.parse(key).orElseThrow(), Optional.of(directive))));
        DirectiveStatus status = read(codec, new DirectiveStatus(region, directive.namespace(), directive.service(),
                directive.version(), DirectiveStatus.Result.APPLIED, "applied", directive.decidedAt(),
                "sim-" + region));
        pending.add(shard.replay(new Inbound.Status(origin(region + ".status", sent.partition(), offset), region,
                ServiceKey.parse(key).orElseThrow(), Optional.of(status))));
    }

    private static RecordOrigin origin(String topic, int partition, long[] offset) {
        return new RecordOrigin("meshpilot." + topic, partition, offset[0]++);
    }

    private static <T extends MeshRecord> T read(RecordCodec codec, T record) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) record.getClass();
        if (codec.decode(codec.encode(record), type) instanceof Decoded.Valid<T> valid) {
            return valid.record();
        }
        throw new IllegalStateException("does not decode: " + record);
    }

    private static long settledHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
