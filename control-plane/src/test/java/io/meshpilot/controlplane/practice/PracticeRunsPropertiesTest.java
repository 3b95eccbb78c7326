package io.meshpilot.controlplane.practice;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.schemas.PracticeRunStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 22, point 2, as properties over random histories (regions degrading and healing, runs started and aborted,
 * time passing) through the real shard: a practice run never starts while an incident is open, its drain is never in
 * force while another region is degraded, and it never takes a Service below {@code minExportingRegions}.
 */
class PracticeRunsPropertiesTest {

    private static final List<String> REGIONS = List.of("ap", "eu", "us");
    private static final List<ServiceKey> SERVICES = List.of(new ServiceKey("default", "hello-world"),
            new ServiceKey("shop", "cart"));

    /** One thing that happens: the Service index, the region index, a number (ready endpoints, seconds). */
    record Step(String kind, int service, int region, int amount) {
    }

    @Property(tries = 60)
    void aRunNeitherStartsDuringAnIncidentNorDrainsBesideADegradedRegionNorBreaksASafetyRule(
            @ForAll("histories") List<Step> history) {
        PracticeMesh mesh = new PracticeMesh(REGIONS, SERVICES, ",\"failbackDelaySeconds\":2,\"minExportingRegions\":2");
        mesh.onStatus = status -> {
            if ("running".equals(status.phase()) && mesh.time.instant().equals(status.startedAt())) {
                assertThat(mesh.degradedSomewhere("")).as("started during an incident").isFalse();
            }
        };
        int runs = 0;
        for (Step step : history) {
            ServiceKey service = SERVICES.get(step.service());
            String region = REGIONS.get(step.region());
            switch (step.kind()) {
                case "health" -> mesh.health(service, region, step.amount() % 2 == 0 ? 3 : 0);
                case "start" -> mesh.run("run-" + ++runs, ",\"region\":\"" + region + "\",\"durationSeconds\":"
                        + (2 + step.amount()));
                case "abort" -> mesh.run("run-" + runs, null);
                default -> mesh.pass(Duration.ofSeconds(1 + step.amount()));
            }
            for (ServiceKey each : SERVICES) {
                for (String drained : mesh.shard.practice().drainedRegions(each)) {
                    assertThat(mesh.degradedSomewhere(drained)).as("%s drained beside a degraded region after %s",
                            drained, step).isFalse();
                }
                assertThat(exporting(mesh, each)).as("regions exporting %s after %s", each, step)
                        .isGreaterThanOrEqualTo(2);
            }
        }
        mesh.pass(Duration.ofSeconds(90));
        net.jqwik.api.statistics.Statistics.collect(mesh.statuses.stream().map(PracticeRunStatus::phase)
                .filter(phase -> phase.equals("running") || phase.equals("aborted")).distinct().sorted().toList());
        assertThat(mesh.statuses).filteredOn(status -> !ended(status)).extracting(PracticeRunStatus::name)
                .allSatisfy(name -> assertThat(ended(mesh.last(name))).as("run %s ended", name).isTrue());
    }

    private static boolean ended(PracticeRunStatus status) {
        return PracticePhase.fromWire(status.phase()).orElseThrow().ended();
    }

    /** The regions whose directive in force exports the Service. */
    private static long exporting(PracticeMesh mesh, ServiceKey service) {
        Map<String, ServiceDirective> latest = new HashMap<>();
        mesh.published.stream().filter(directive -> directive.key().equals(service))
                .forEach(directive -> latest.put(directive.region(), directive));
        return latest.values().stream().filter(directive -> CiliumServiceConfig.fromAnnotations(
                directive.annotations()).map(CiliumServiceConfig::exports).orElse(false)).count();
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<String> kinds = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just("health")),
                net.jqwik.api.Tuple.of(3, Arbitraries.just("start")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("abort")),
                net.jqwik.api.Tuple.of(4, Arbitraries.just("pass")));
        return Combinators.combine(kinds, Arbitraries.integers().between(0, SERVICES.size() - 1),
                Arbitraries.integers().between(0, REGIONS.size() - 1), Arbitraries.integers().between(0, 9))
                .as(Step::new).list().ofMinSize(1).ofMaxSize(25);
    }
}
