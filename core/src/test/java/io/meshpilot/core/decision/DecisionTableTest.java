package io.meshpilot.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The engine's answers to the scenarios of docs/decisions.md, rendered as a table and compared with the golden file
 * {@code src/test/resources/golden/decision-table.md}. After an intended change, regenerate it with
 * {@code ./mvnw -pl core test -Dtest=DecisionTableTest -Dgolden.update=true} and review the diff.
 */
class DecisionTableTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/decision-table.md");

    @Test
    void matchesTheGoldenTable() throws IOException {
        String table = render(scenarios());
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(GOLDEN, table);
        }
        assertThat(table).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }

    private static String render(Map<String, Scenario> scenarios) {
        StringBuilder table = new StringBuilder("""
                | scenario | region | ready/total | state | reason | global | shared | affinity |
                |---|---|---|---|---|---|---|---|
                """);
        scenarios.forEach((name, scenario) -> {
            ServiceDecision decision = scenario.decide();
            for (RegionOutcome region : decision.regions()) {
                Map<String, String> annotations = region.annotations();
                table.append("| ").append(name).append(decision.globalOutage() ? " (global outage)" : "")
                        .append(" | ").append(region.region())
                        .append(" | ").append(scenario.reported(region.region()))
                        .append(" | ").append(region.state().wireName())
                        .append(" | ").append(region.reason().wireName())
                        .append(" | ").append(annotations.getOrDefault("service.cilium.io/global", "-"))
                        .append(" | ").append(annotations.getOrDefault("service.cilium.io/shared", "-"))
                        .append(" | ").append(annotations.isEmpty() ? "-"
                                : annotations.getOrDefault("service.cilium.io/affinity", "(none)"))
                        .append(" |\n");
            }
        });
        return table.toString();
    }

    /** Each scenario, ready for its last decision (earlier steps already decided). */
    private static Map<String, Scenario> scenarios() {
        Policy auto = Policy.DEFAULT;
        Map<String, Scenario> all = new LinkedHashMap<>();
        all.put("1 both healthy", new Scenario().region("us", 2, 2).region("eu", 2, 2));
        all.put("2 us at zero", new Scenario().region("us", 0, 2).region("eu", 2, 2));
        all.put("3 us 1 of 3 (min 2, ratio 0.5)", new Scenario().policy(policy(2, 0.5, 0, List.of(), 0, Set.of()))
                .region("us", 1, 3).region("eu", 3, 3));
        all.put("4 us at zero, failover delay 10 s", new Scenario().policy(policy(1, 0, 10, List.of(), 0, Set.of()))
                .region("us", 0, 2).region("eu", 2, 2));
        Scenario failback = new Scenario().policy(auto).region("us", 0, 2).region("eu", 2, 2);
        failback.decide();
        all.put("5 us back, 5 s into the 30 s failback", failback.after(Duration.ofSeconds(5)).region("us", 2, 2));
        all.put("6 us drained", new Scenario().policy(policy(1, 0, 0, List.of(), 0, Set.of("us")))
                .region("us", 3, 3).region("eu", 3, 3));
        all.put("7 nothing healthy", new Scenario().region("us", 0, 2).region("eu", 0, 2));
        Scenario silent = new Scenario().region("us", 2, 2).region("eu", 2, 2);
        silent.decide();
        all.put("8 eu silent for 20 s, us at zero", silent.silent("eu", 2, 2, Duration.ofSeconds(20))
                .region("us", 0, 2));
        all.put("9 priority ap, eu; at most 1 target", new Scenario()
                .policy(policy(1, 0, 0, List.of("ap", "eu"), 1, Set.of()))
                .region("us", 0, 2).region("eu", 2, 2).region("ap", 2, 2));
        for (Mode pin : List.of(Mode.LOCAL, Mode.REMOTE, Mode.BALANCED, Mode.UNMANAGED)) {
            all.put("10 mode " + pin.wireName(), new Scenario().policy(Scenario.policy(pin)).region("us", 0, 2)
                    .region("eu", 2, 2));
        }
        return all;
    }

    private static Policy policy(int minReady, double ratio, int failoverSeconds, List<String> priority, int max,
            Set<String> drain) {
        return Scenario.with(Mode.AUTO, minReady, ratio, Duration.ofSeconds(failoverSeconds), Duration.ofSeconds(30),
                priority, max, drain);
    }
}
