package io.meshpilot.core.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * meshpilot's domain on every case of the shared Cilium table: it must decide what the table says Cilium decides
 * (CiliumConformanceIT checks the table itself against Cilium's code).
 */
class CiliumFixturesTest {

    private static final JsonNode FIXTURES = CiliumFixtures.load();

    @TestFactory
    Stream<DynamicTest> endpointConditions() {
        return cases("endpointConditions", c -> assertThat(CiliumFixtures.condition(c))
                .isEqualTo(CiliumFixtures.values(c.get("expect"))));
    }

    @TestFactory
    Stream<DynamicTest> annotations() {
        return cases("annotations", c -> assertThat(CiliumFixtures.annotations(FIXTURES, c))
                .isEqualTo(CiliumFixtures.values(c.get("expect"))));
    }

    @TestFactory
    Stream<DynamicTest> namespaces() {
        return cases("namespaces", c -> assertThat(CiliumFixtures.namespace(c))
                .isEqualTo(c.get("expect").get("global").asBoolean()));
    }

    @TestFactory
    Stream<DynamicTest> endpointSliceLabels() {
        return cases("endpointSliceLabels", c -> assertThat(CiliumFixtures.sliceCounted(c))
                .isEqualTo(c.get("expect").get("counted").asBoolean()));
    }

    @TestFactory
    Stream<DynamicTest> selection() {
        return cases("selection", c -> assertThat(CiliumFixtures.selection(FIXTURES, c))
                .isEqualTo(CiliumFixtures.counts(c.get("expect"))));
    }

    private static Stream<DynamicTest> cases(String section, java.util.function.Consumer<JsonNode> check) {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode testCase : FIXTURES.get(section)) {
            tests.add(DynamicTest.dynamicTest(testCase.get("name").asText(), () -> check.accept(testCase)));
        }
        assertThat(tests).as("cases in " + section).isNotEmpty();
        return tests.stream();
    }
}
