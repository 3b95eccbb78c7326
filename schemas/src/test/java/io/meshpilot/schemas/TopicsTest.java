package io.meshpilot.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshpilot.schemas.Topics.RegionRole;
import io.meshpilot.schemas.Topics.RegionTopic;
import org.junit.jupiter.api.Test;

class TopicsTest {

    private final Topics topics = Topics.defaults();

    @Test
    void namesTheTopicsOfTheSpec() {
        assertThat(topics.health("us")).isEqualTo("meshpilot.us.health");
        assertThat(topics.heartbeat("us")).isEqualTo("meshpilot.us.heartbeat");
        assertThat(topics.directives("eu")).isEqualTo("meshpilot.eu.directives");
        assertThat(topics.status("eu")).isEqualTo("meshpilot.eu.status");
        assertThat(topics.policies()).isEqualTo("meshpilot.policies");
        assertThat(topics.policyStatus()).isEqualTo("meshpilot.policy-status");
        assertThat(topics.decisions()).isEqualTo("meshpilot.decisions");
        assertThat(topics.deadLetter()).isEqualTo("meshpilot.deadletter");
    }

    @Test
    void takesAnyPrefix() {
        Topics staging = new Topics("staging.meshpilot");

        assertThat(staging.health("us")).isEqualTo("staging.meshpilot.us.health");
        assertThat(staging.parse("staging.meshpilot.us.health")).contains(new RegionTopic("us", RegionRole.HEALTH));
        assertThat(staging.parse("meshpilot.us.health")).isEmpty();
    }

    @Test
    void parsesRegionTopicsBack() {
        assertThat(topics.parse("meshpilot.us-east-1.status")).contains(new RegionTopic("us-east-1", RegionRole.STATUS));
        assertThat(topics.parse("meshpilot.policies")).isEmpty();
        assertThat(topics.parse("meshpilot.policy-status")).isEmpty();
        assertThat(topics.parse("meshpilot.US.health")).isEmpty();
        assertThat(topics.parse("meshpilotxus.health")).isEmpty();
        assertThat(topics.parse("meshpilot.us.health.extra")).isEmpty();
    }

    @Test
    void namesWhatATopicCarriesForMetricLabels() {
        assertThat(topics.role("meshpilot.us.health")).isEqualTo("health");
        assertThat(topics.role("meshpilot.policy-status")).isEqualTo("policy-status");
        assertThat(topics.role("meshpilot.deadletter")).isEqualTo("deadletter");
        assertThat(topics.role("other.topic")).isEqualTo("other");
    }

    @Test
    void discoversRegionsByPattern() {
        assertThat(topics.regionTopicPattern(RegionRole.HEALTH).matcher("meshpilot.eu.health").matches()).isTrue();
        assertThat(topics.regionTopicPattern(RegionRole.HEALTH).matcher("meshpilot.eu.status").matches()).isFalse();
    }

    @Test
    void refusesInvalidRegionsAndPrefixes() {
        assertThatThrownBy(() -> topics.health("US")).hasMessageStartingWith("region 'US' must be a DNS-1123 label");
        assertThatThrownBy(() -> new Topics("")).hasMessageStartingWith("topic prefix must be");
        assertThatThrownBy(() -> new Topics("a..b")).hasMessageContaining("got 'a..b'");
    }
}
