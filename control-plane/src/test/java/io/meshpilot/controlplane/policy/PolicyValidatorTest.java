package io.meshpilot.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.decision.MassDegradation;
import io.meshpilot.core.decision.Mode;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.schemas.FieldError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 5, point 2: every way a policy can be wrong, each with its message. */
class PolicyValidatorTest {

    private static final Set<String> REGIONS = Set.of("us", "eu");
    private final PolicyValidator validator = new PolicyValidator();

    @Test
    void acceptsAKcatOneLinerAndResolvesEveryDefault() {
        PolicyVerdict verdict = judge("*", "{\"apiVersion\":\"meshpilot.io/v1\",\"kind\":\"TrafficPolicy\",\"mode\":\"auto\","
                + "\"minReadyEndpoints\":2}");

        assertThat(verdict).isEqualTo(new PolicyVerdict.Accepted(new Policy("*", Mode.AUTO, 2, 0.0, Duration.ZERO,
                Duration.ofSeconds(30), Duration.ofSeconds(15), List.of(), 0, Set.of())));
    }

    @Test
    void acceptsEveryFieldAndRegionsThatDoNotExistYet() {
        PolicyVerdict verdict = judge("default/hello-world", policy("\"scope\":\"default/hello-world\",\"mode\":\"remote\","
                + "\"minReadyEndpoints\":3,\"minReadyRatio\":0.5,\"failoverDelaySeconds\":10,\"failbackDelaySeconds\":60,"
                + "\"staleAfterSeconds\":20,\"failoverPriority\":[\"ap\",\"eu\"],\"maxFailoverRegions\":1,\"drain\":[\"us\"]"));

        assertThat(verdict).isEqualTo(new PolicyVerdict.Accepted(new Policy("default/hello-world", Mode.REMOTE, 3,
                0.5, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(20), List.of("ap", "eu"), 1,
                Set.of("us"))));
    }

    @Test
    void acceptsTheSafetyRuleAndRejectsItOutOfRange() {
        PolicyVerdict ruled = judge("default/*", policy("\"minExportingRegions\":2"));
        assertThat(ruled).isInstanceOfSatisfying(PolicyVerdict.Accepted.class, accepted -> assertThat(
                accepted.policy().minExportingRegions()).isEqualTo(2));
        assertThat(judge("*", policy("\"mode\":\"auto\""))).isInstanceOfSatisfying(PolicyVerdict.Accepted.class,
                accepted -> assertThat(accepted.policy().minExportingRegions()).as("default: no rule").isZero());

        assertThat(errors("default/*", policy("\"minExportingRegions\":-1"))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("minExportingRegions");
            assertThat(error.problem()).isEqualTo("must have a minimum value of 0");
        });
        assertThat(errors("default/*", policy("\"minExportingRegions\":512"))).extracting(FieldError::field)
                .containsExactly("minExportingRegions");
    }

    @Test
    void acceptsAtMostKWithdrawnRegionsAndRejectsItOutOfRange() {
        assertThat(judge("*", policy("\"maxWithdrawnRegions\":1"))).isInstanceOfSatisfying(
                PolicyVerdict.Accepted.class, accepted -> assertThat(accepted.policy().maxWithdrawnRegions())
                        .isEqualTo(1));
        assertThat(judge("*", policy("\"mode\":\"auto\""))).isInstanceOfSatisfying(PolicyVerdict.Accepted.class,
                accepted -> assertThat(accepted.policy().maxWithdrawnRegions()).as("default: no rule").isZero());
        assertThat(errors("*", policy("\"maxWithdrawnRegions\":0"))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("maxWithdrawnRegions");
            assertThat(error.problem()).isEqualTo("must have a minimum value of 1");
        });
        assertThat(errors("*", policy("\"maxWithdrawnRegions\":512"))).extracting(FieldError::field)
                .containsExactly("maxWithdrawnRegions");
    }

    @Test
    void acceptsAConfirmationWindowForMassDegradationAndRejectsOneOutOfShape() {
        assertThat(judge("*", policy("\"massDegradationShare\":0.5"))).isInstanceOfSatisfying(
                PolicyVerdict.Accepted.class, accepted -> assertThat(accepted.policy().massDegradation())
                        .isEqualTo(new MassDegradation(0.5, Duration.ofSeconds(10), Duration.ofSeconds(30))));
        assertThat(judge("*", policy("\"massDegradationShare\":0.3,\"massDegradationWithinSeconds\":5,"
                + "\"massDegradationConfirmSeconds\":20"))).isInstanceOfSatisfying(PolicyVerdict.Accepted.class,
                        accepted -> assertThat(accepted.policy().massDegradation()).isEqualTo(new MassDegradation(
                                0.3, Duration.ofSeconds(5), Duration.ofSeconds(20))));
        assertThat(judge("*", policy("\"mode\":\"auto\""))).isInstanceOfSatisfying(PolicyVerdict.Accepted.class,
                accepted -> assertThat(accepted.policy().massDegradation().enabled()).as("default: none").isFalse());

        assertThat(errors("*", policy("\"massDegradationShare\":0"))).extracting(FieldError::field)
                .containsExactly("massDegradationShare");
        assertThat(errors("*", policy("\"massDegradationConfirmSeconds\":20"))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("massDegradationConfirmSeconds");
            assertThat(error.problem()).isEqualTo("only with massDegradationShare");
        });
        assertThat(errors("*", policy("\"massDegradationShare\":0.5,\"massDegradationWithinSeconds\":20,"
                + "\"massDegradationConfirmSeconds\":10"))).singleElement().satisfies(error -> {
                    assertThat(error.field()).isEqualTo("massDegradationConfirmSeconds");
                    assertThat(error.problem()).isEqualTo("must be at least massDegradationWithinSeconds");
                });
    }

    @Test
    void acceptsAPinThatExpiresAndRejectsAnExpiryWithoutAPin() {
        PolicyVerdict pin = judge("default/*", policy("\"mode\":\"remote\",\"expiresAt\":\"2026-12-02T01:00:00Z\""));
        assertThat(pin).isInstanceOfSatisfying(PolicyVerdict.Accepted.class, accepted -> assertThat(
                accepted.expiresAt()).contains(java.time.Instant.parse("2026-12-02T01:00:00Z")));

        assertThat(errors("default/*", policy("\"expiresAt\":\"2026-12-02T01:00:00Z\""))).singleElement()
                .satisfies(error -> {
                    assertThat(error.field()).isEqualTo("expiresAt");
                    assertThat(error.problem()).startsWith("only a pin expires");
                });
        assertThat(errors("default/*", policy("\"mode\":\"auto\",\"expiresAt\":\"2026-12-02T01:00:00Z\"")))
                .extracting(FieldError::field).containsExactly("expiresAt");
        assertThat(errors("default/*", policy("\"mode\":\"local\",\"expiresAt\":\"tomorrow\"")))
                .extracting(FieldError::field).containsExactly("expiresAt");
    }

    @Test
    void rejectsUnparseableBytes() {
        assertThat(errors("*", "mode: auto")).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("$");
            assertThat(error.problem()).startsWith("is not valid JSON");
        });
    }

    @Test
    void rejectsASchemaViolation() {
        assertThat(errors("*", policy("\"minReadyEndpoints\":\"two\"")))
                .containsExactly(new FieldError("minReadyEndpoints", "must be of type integer, found string"));
        assertThat(errors("*", policy("\"mode\":\"sideways\""))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("mode");
            assertThat(error.problem()).startsWith("does not have a value in the enumeration");
        });
    }

    @Test
    void rejectsARatioOutsideZeroToOne() {
        assertThat(errors("*", policy("\"minReadyRatio\":1.5")))
                .containsExactly(new FieldError("minReadyRatio", "must have a maximum value of 1"));
    }

    @Test
    void rejectsNegativeDelays() {
        assertThat(errors("*", policy("\"failoverDelaySeconds\":-1,\"failbackDelaySeconds\":-5"))).containsExactly(
                new FieldError("failbackDelaySeconds", "must have a minimum value of 0"),
                new FieldError("failoverDelaySeconds", "must have a minimum value of 0"));
    }

    @Test
    void rejectsADrainListThatWouldDrainEveryRegion() {
        assertThat(errors("*", policy("\"drain\":[\"eu\",\"us\"]"))).containsExactly(new FieldError("drain",
                "would drain every region [eu, us]; leave at least one to take the traffic"));
    }

    @Test
    void rejectsAnUnknownField() {
        assertThat(errors("*", policy("\"colour\":\"red\"")))
                .containsExactly(new FieldError("colour", "is not a known field"));
    }

    @Test
    void rejectsAKeyThatIsNotAScopeAndAScopeFieldThatIsNotTheKey() {
        assertThat(errors("a/b/c", policy(""))).containsExactly(
                new FieldError("key", "'a/b/c' must be <namespace>/<service>, <namespace>/* or *"));
        assertThat(errors("team-a/*", policy("\"scope\":\"team-b/*\""))).containsExactly(
                new FieldError("scope", "must equal the record key 'team-a/*', found 'team-b/*'"));
    }

    @Test
    void reportsEveryErrorAtOnce() {
        assertThat(errors("nope", policy("\"minReadyRatio\":-1,\"extra\":1"))).extracting(FieldError::field)
                .containsExactly("key", "extra", "minReadyRatio");
    }

    private PolicyVerdict judge(String key, String json) {
        return validator.judge(key, json.getBytes(StandardCharsets.UTF_8), REGIONS);
    }

    private List<FieldError> errors(String key, String json) {
        PolicyVerdict verdict = judge(key, json);
        assertThat(verdict).isInstanceOf(PolicyVerdict.Rejected.class);
        return ((PolicyVerdict.Rejected) verdict).errors();
    }

    private static String policy(String fields) {
        return "{\"apiVersion\":\"meshpilot.io/v1\",\"kind\":\"TrafficPolicy\"" + (fields.isEmpty() ? "" : "," + fields)
                + "}";
    }
}
