package io.meshpilot.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"us", "eu", "us-east-1", "a", "0", "abcdefghijabcdefghijabcdefghijab"})
    void acceptsCiliumClusterNames(String region) {
        assertThat(Names.region(region)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "US", "us_east", "-us", "us-", "us.east", "abcdefghijabcdefghijabcdefghijabc"})
    void rejectsOtherRegionNames(String region) {
        assertThat(Names.region(region)).isPresent();
    }

    @Test
    void saysWhatIsWrong() {
        assertThat(Names.region(null)).contains("is required");
        assertThat(Names.region("x".repeat(33))).contains("must be at most 32 characters long");
        assertThat(Names.service("1abc")).hasValueSatisfying(problem -> assertThat(problem).contains("DNS-1035"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "default/*", "default/hello-world", "kube-system/dns"})
    void acceptsPolicyScopes(String scope) {
        assertThat(Names.scope(scope)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*/*", "default", "default/", "/svc", "a/b/c", "Default/x", "default/1svc"})
    void rejectsOtherScopes(String scope) {
        assertThat(Names.scope(scope)).contains("must be <namespace>/<service>, <namespace>/* or *");
    }

    @Test
    void parsesServiceKeys() {
        assertThat(ServiceKey.parse("default/hello-world")).contains(new ServiceKey("default", "hello-world"));
        assertThat(ServiceKey.parse("default/hello-world").orElseThrow()).hasToString("default/hello-world");
        assertThat(ServiceKey.parse("default")).isEmpty();
        assertThat(ServiceKey.parse("a/b/c")).isEmpty();
        assertThat(ServiceKey.parse("default/*")).isEmpty();
        assertThat(ServiceKey.parse(null)).isEmpty();
    }
}
