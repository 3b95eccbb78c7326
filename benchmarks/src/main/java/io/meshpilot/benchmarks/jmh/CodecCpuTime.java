package io.meshpilot.benchmarks.jmh;

import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.RecordCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The CPU time one {@link RecordCodec} decode of {@link CodecBenchmark}'s documents costs this thread, for a machine shared with others:
 * JMH's throughput counts wall time, which other processes' load stretches, while the thread's CPU time counts only
 * the work (caches shared with the other processes still cost a little). {@code java -cp benchmarks.jar
 * io.meshpilot.benchmarks.jmh.CodecCpuTime [rounds]}; with an older build's jar first on the class path it measures
 * that build's codec.
 */
public final class CodecCpuTime {

    private static final int WARM_UP = 300_000;
    private static final int MEASURED = 500_000;

    private CodecCpuTime() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        CodecBenchmark documents = new CodecBenchmark();
        documents.prepare();
        measure("decodeServiceHealth", documents::decodeServiceHealth, rounds);
        measure("decodeServiceDirective", documents::decodeServiceDirective, rounds);
        measure("rejectSchemaInvalidServiceHealth", documents::rejectSchemaInvalidServiceHealth, rounds);
        measure("rejectTruncatedServiceHealth", documents::rejectTruncatedServiceHealth, rounds);
    }

    private static void measure(String name, Supplier<Decoded<?>> decode, int rounds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < WARM_UP; i++) {
            sink += decode.get().hashCode();
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-34s decodes per CPU-second:", name));
        for (int round = 0; round < rounds; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < MEASURED; i++) {
                sink += decode.get().hashCode();
            }
            double seconds = (threads.getCurrentThreadCpuTime() - start) / 1e9;
            line.append(String.format(Locale.ROOT, " %,.0f", MEASURED / seconds));
        }
        System.out.println(line + (sink == 42 ? " " : ""));
    }
}
