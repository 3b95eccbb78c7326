package io.meshpilot.agent;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.meshpilot.agent.kubernetes.KubernetesCalls;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {

    private final KafkaSettings kafka = KafkaSettings.bootstrap("127.0.0.1:9092");

    @Test
    void namesTheFlagOfEachInvalidSetting() {
        assertThatThrownBy(() -> AgentSettings.of("US", "a", Topics.defaults(), kafka, Config.empty()))
                .hasMessageStartingWith("--region 'US' must be a DNS-1123 label");
        assertThatThrownBy(() -> AgentSettings.of("us", " ", Topics.defaults(), kafka, Config.empty()))
                .hasMessage("--agent-id must not be empty");
        assertThatThrownBy(() -> new AgentSettings.Watch(Map.of(), List.of(), Duration.ofMillis(100),
                Duration.ofMinutes(1), Duration.ofSeconds(5))).hasMessage("--selector must name at least one label");
        assertThatThrownBy(() -> new AgentSettings.Watch(Map.of("a", "b"), List.of("Team_A"), Duration.ofMillis(100),
                Duration.ofMinutes(1), Duration.ofSeconds(5))).hasMessageStartingWith("--namespaces: 'Team_A' must be");
        assertThatThrownBy(() -> new AgentSettings.Watch(Map.of("a", "b"), List.of(), Duration.ZERO,
                Duration.ofMinutes(1), Duration.ofSeconds(5))).hasMessage("--publish-window must be positive, got PT0S");
        assertThatThrownBy(() -> new KubernetesCalls.Policy(Duration.ofSeconds(1), 0, Duration.ZERO,
                Duration.ofSeconds(1), 5)).hasMessage("--kube-attempts must be at least 1, got 0");
        assertThatThrownBy(() -> new KubernetesCalls.Policy(Duration.ofSeconds(1), 1, Duration.ZERO,
                Duration.ofSeconds(1), 0)).hasMessage("--write-rate must be at least 1 per second, got 0");
        assertThatThrownBy(() -> new AgentSettings.Leadership(true, "default", "lease", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(1), true))
                .hasMessage("--lease-renew-deadline (PT5S) must be shorter than --lease-duration (PT5S)");
        assertThatThrownBy(() -> new AgentSettings.Http("0.0.0.0", 70000))
                .hasMessage("--http-port must be within 0..65535, got 70000");
        assertThatThrownBy(() -> new AgentSettings.Apply(0))
                .hasMessage("--apply-parallelism must be within 1..256, got 0");
        assertThatThrownBy(() -> new AgentSettings.Apply(257))
                .hasMessage("--apply-parallelism must be within 1..256, got 257");
    }
}
