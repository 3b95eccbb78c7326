package io.meshpilot.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTest {

    @Test
    void percentilesAreNearestRankOnSortedSamples() {
        List<Long> nanos = List.of(1_000_000L, 2_000_000L, 3_000_000L, 4_000_000L);

        assertThat(Result.percentile(nanos, 0.5)).isEqualTo(2.0);
        assertThat(Result.percentile(nanos, 0.99)).isEqualTo(4.0);
        assertThat(Result.percentile(List.of(), 0.5)).isNaN();
    }

    @Test
    void theMarginalHeapCancelsTheFixedCostsBetweenTheSmallestAndLargestSize() {
        Result small = result("event-driven", 1_000, 10_000_000);
        Result large = result("event-driven", 10_000, 37_000_000);
        Result baseline = result("baseline", 10_000, Double.NaN);

        assertThat(Result.heapExtremes(List.of(large, baseline, small))).contains(List.of(small, large));
        assertThat(Result.marginalHeapBytes(small, large)).isEqualTo(1_000.0);
        assertThat(small.heapBytesPerServiceRegion()).isCloseTo(3_333.3, org.assertj.core.data.Offset.offset(0.1));
        assertThat(Result.heapExtremes(List.of(small, baseline))).isEmpty();
    }

    private static Result result(String system, int services, double heap) {
        return new Result(system, services, 3, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, heap, 1, List.of(), List.of(),
                List.of());
    }
}
