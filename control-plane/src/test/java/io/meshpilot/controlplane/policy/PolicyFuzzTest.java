package io.meshpilot.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshpilot.core.decision.Policy;
import java.time.Duration;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing policy validation with near-valid policies under arbitrary keys: every field given a random value of a
 * random type, or left out. The validator never throws; a rejection names every bad field with a problem; an accepted
 * policy is one the decision engine can use (thresholds and delays within their documented ranges).
 */
class PolicyFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> REGIONS = Set.of("us", "eu", "ap");
    private static final String[] FIELDS = {"scope", "mode", "minReadyEndpoints", "minReadyRatio",
        "failoverDelaySeconds", "failbackDelaySeconds", "staleAfterSeconds", "failoverPriority", "maxFailoverRegions",
        "drain"};

    private final PolicyValidator validator = new PolicyValidator();

    @Property(tries = 2000)
    void everyPolicyIsAcceptedUsableOrRejectedWithReasons(@ForAll("keys") String key,
            @ForAll("policies") byte[] value) {
        PolicyVerdict verdict = validator.judge(key, value, REGIONS);

        if (verdict instanceof PolicyVerdict.Accepted accepted) {
            assertUsable(accepted.policy());
        } else {
            assertThat(((PolicyVerdict.Rejected) verdict).errors()).isNotEmpty().allSatisfy(error -> {
                assertThat(error.field()).isNotBlank();
                assertThat(error.problem()).isNotBlank();
            });
        }
    }

    @Property(tries = 300)
    void arbitraryBytesAreRejectedWithReasons(@ForAll("keys") String key, @ForAll byte[] value) {
        PolicyVerdict verdict = validator.judge(key, value, REGIONS);

        assertThat(verdict).isInstanceOf(PolicyVerdict.Rejected.class);
        assertThat(((PolicyVerdict.Rejected) verdict).errors()).isNotEmpty();
    }

    private static void assertUsable(Policy policy) {
        assertThat(policy.minReadyEndpoints()).isGreaterThanOrEqualTo(1);
        assertThat(policy.minReadyRatio()).isBetween(0.0, 1.0);
        for (Duration delay : new Duration[] {policy.failoverDelay(), policy.failbackDelay(), policy.staleAfter()}) {
            assertThat(delay).isBetween(Duration.ZERO, Duration.ofDays(1));
        }
        assertThat(policy.staleAfter()).isPositive();
        assertThat(policy.maxFailoverRegions()).as("0 means no limit").isNotNegative();
        assertThat(policy.failoverPriority()).allSatisfy(region -> assertThat(region).matches("[a-z0-9-]+"));
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.oneOf(Arbitraries.of("*", "default/*", "default/hello-world", "shop/svc-1"),
                Arbitraries.strings().ofMaxLength(80), Arbitraries.strings().withChars("abc-/*").ofMaxLength(12));
    }

    @Provide
    Arbitrary<byte[]> policies() {
        Arbitrary<Object> values = Arbitraries.oneOf(
                Arbitraries.integers().between(-5, 100_000).map(Object.class::cast),
                Arbitraries.doubles().between(-2, 2).map(Object.class::cast),
                Arbitraries.of("auto", "local", "remote", "balanced", "unmanaged", "sideways", "", "us", "*")
                        .map(Object.class::cast),
                Arbitraries.of(true, false).map(Object.class::cast),
                Arbitraries.of("us", "eu", "ap", "mars", "US").list().ofMaxSize(4).map(Object.class::cast),
                Arbitraries.just(null));
        Arbitrary<Object[]> fields = values.injectNull(0.4).array(Object[].class).ofSize(FIELDS.length);
        return Combinators.combine(fields, Arbitraries.of(true, false)).as(this::document);
    }

    private byte[] document(Object[] values, boolean scopeFromKey) {
        ObjectNode document = JSON.createObjectNode().put("apiVersion", "meshpilot.io/v1").put("kind", "TrafficPolicy");
        for (int i = 0; i < FIELDS.length; i++) {
            if (values[i] != null && !(i == 0 && scopeFromKey)) {
                document.set(FIELDS[i], JSON.valueToTree(values[i]));
            }
        }
        try {
            return JSON.writeValueAsBytes(document);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
