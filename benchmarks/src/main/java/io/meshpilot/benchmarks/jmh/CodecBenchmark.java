package io.meshpilot.benchmarks.jmh;

import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Operations per second of {@link RecordCodec} on one thread: encoding and decoding (with JSON Schema validation) a
 * typical {@link ServiceHealth} and {@link ServiceDirective}, and the rejection paths: a ServiceHealth that is valid
 * JSON but breaks its schema (bad region, negative count), and one that is not JSON at all (truncated).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class CodecBenchmark {

    private static final Instant AT = Instant.parse("2026-11-25T12:00:00Z");

    private final RecordCodec codec = RecordCodec.get();
    private final ServiceHealth health = new ServiceHealth("us", "default", "hello-world",
            new EndpointCounts(2, 2, 0, 2, 2), AT, "agent-us-0");
    private final ServiceDirective directive = new ServiceDirective("us", "default", "hello-world", 7,
            Map.of("service.cilium.io/global", "true", "service.cilium.io/shared", "true",
                    "service.cilium.io/affinity", "local"), "local-healthy", AT);
    private byte[] healthBytes;
    private byte[] directiveBytes;
    private byte[] schemaInvalidHealthBytes;
    private byte[] truncatedHealthBytes;

    @Setup
    public void prepare() {
        healthBytes = codec.encode(health);
        directiveBytes = codec.encode(directive);
        schemaInvalidHealthBytes = """
                {"apiVersion":"meshpilot.io/v1","kind":"ServiceHealth","region":"US East","namespace":"default",\
                "service":"hello-world","endpoints":{"ready":-1,"serving":2,"terminating":0,"active":2,"total":2},\
                "observedAt":"2026-11-25T12:00:00Z","agentId":"agent-us-0"}""".getBytes(StandardCharsets.UTF_8);
        truncatedHealthBytes = java.util.Arrays.copyOf(healthBytes, healthBytes.length / 2);

        expect(codec.decode(healthBytes, ServiceHealth.class) instanceof Decoded.Valid<ServiceHealth> valid
                && valid.record().equals(health), "the ServiceHealth does not round-trip");
        expect(codec.decode(directiveBytes, ServiceDirective.class) instanceof Decoded.Valid<ServiceDirective> valid
                && valid.record().equals(directive), "the ServiceDirective does not round-trip");
        expect(codec.decode(schemaInvalidHealthBytes, ServiceHealth.class) instanceof Decoded.Invalid<?> invalid
                && invalid.errors().size() >= 2, "the schema-invalid ServiceHealth is not rejected for both errors");
        expect(codec.decode(truncatedHealthBytes, ServiceHealth.class) instanceof Decoded.Invalid<?>,
                "the truncated ServiceHealth is not rejected");
    }

    @Benchmark
    public byte[] encodeServiceHealth() {
        return codec.encode(health);
    }

    @Benchmark
    public byte[] encodeServiceDirective() {
        return codec.encode(directive);
    }

    @Benchmark
    public Decoded<ServiceHealth> decodeServiceHealth() {
        return codec.decode(healthBytes, ServiceHealth.class);
    }

    @Benchmark
    public Decoded<ServiceDirective> decodeServiceDirective() {
        return codec.decode(directiveBytes, ServiceDirective.class);
    }

    @Benchmark
    public Decoded<ServiceHealth> rejectSchemaInvalidServiceHealth() {
        return codec.decode(schemaInvalidHealthBytes, ServiceHealth.class);
    }

    @Benchmark
    public Decoded<ServiceHealth> rejectTruncatedServiceHealth() {
        return codec.decode(truncatedHealthBytes, ServiceHealth.class);
    }

    private static void expect(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalStateException(problem);
        }
    }
}
