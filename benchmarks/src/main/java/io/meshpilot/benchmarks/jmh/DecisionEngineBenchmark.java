package io.meshpilot.benchmarks.jmh;

import io.meshpilot.core.decision.DecisionEngine;
import io.meshpilot.core.decision.DecisionInput;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.core.decision.Reason;
import io.meshpilot.core.decision.RegionInput;
import io.meshpilot.core.decision.ServiceDecision;
import io.meshpilot.core.health.EndpointTally;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
 * Decisions per second of {@link DecisionEngine#decide} on one thread, for one Service in three regions (us, eu, ap)
 * under the default policy: the steady state (every region healthy, a previous decision: the common case), a failover
 * (us degraded since the previous all-healthy decision) and a first decision (all healthy, no previous decision).
 * The target is at least 1,000,000 decisions per second on one core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class DecisionEngineBenchmark {

    private static final Instant PREVIOUSLY = Instant.parse("2026-11-25T12:00:00Z");
    private static final Instant NOW = PREVIOUSLY.plusSeconds(5);

    private final DecisionEngine engine = new DecisionEngine();
    private DecisionInput steadyState;
    private DecisionInput failover;
    private DecisionInput firstDecision;

    @Setup
    public void prepare() {
        List<RegionInput> allHealthy = List.of(region("us", 3, 3), region("eu", 3, 3), region("ap", 3, 3));
        List<RegionInput> usDegraded = List.of(region("us", 0, 3), region("eu", 3, 3), region("ap", 3, 3));
        ServiceDecision previous = engine.decide(
                new DecisionInput(Policy.DEFAULT, allHealthy, Optional.empty(), PREVIOUSLY));

        steadyState = new DecisionInput(Policy.DEFAULT, allHealthy, Optional.of(previous), NOW);
        failover = new DecisionInput(Policy.DEFAULT, usDegraded, Optional.of(previous), NOW);
        firstDecision = new DecisionInput(Policy.DEFAULT, allHealthy, Optional.empty(), NOW);

        expect(steadyState, "us", Reason.LOCAL_HEALTHY);
        expect(failover, "us", Reason.LOCAL_DEGRADED);
        expect(firstDecision, "us", Reason.LOCAL_HEALTHY);
    }

    @Benchmark
    public ServiceDecision steadyStateAllHealthy() {
        return engine.decide(steadyState);
    }

    @Benchmark
    public ServiceDecision failoverOneRegionDegraded() {
        return engine.decide(failover);
    }

    @Benchmark
    public ServiceDecision firstDecisionNoPrevious() {
        return engine.decide(firstDecision);
    }

    /** A region whose agent was heard just now, with {@code ready} of {@code total} endpoints ready. */
    private static RegionInput region(String name, int ready, int total) {
        return new RegionInput(name, new EndpointTally(ready, ready, 0, ready, total), NOW, Optional.of(NOW));
    }

    /** Fails the run if an input does not lead to the decision its benchmark is named after. */
    private void expect(DecisionInput input, String region, Reason reason) {
        Reason actual = engine.decide(input).region(region).orElseThrow().reason();
        if (actual != reason) {
            throw new IllegalStateException(region + " decided " + actual + ", expected " + reason);
        }
    }
}
