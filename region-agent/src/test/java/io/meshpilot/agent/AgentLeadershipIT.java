package io.meshpilot.agent;

import static io.meshpilot.agent.AgentHarness.SERVICE;
import static io.meshpilot.agent.AgentHarness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.MetricsPage;
import io.meshpilot.testing.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 3, point 6: two replicas, one acts; when the leader dies the other takes over. */
@ExtendWith(KafkaBrokerExtension.class)
class AgentLeadershipIT {

    @Test
    void oneOfTwoReplicasActsAndTheOtherTakesOverWhenItDies(EmbeddedKafkaBroker kafka, Topics topics) {
        try (AgentHarness region = new AgentHarness(kafka, topics, "us")) {
            region.createManagedService(SERVICE, 2);
            AgentSettings.Leadership crashing = new AgentSettings.Leadership(true, "default", "meshpilot-agent",
                    Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(250), false);
            RegionAgent first = region.startAgent("agent-us-a", settings -> settings.withLeadership(crashing));
            RegionAgent second = region.startAgent("agent-us-b", settings -> settings.withLeadership(crashing));
            TopicReader heartbeats = region.reader(topics.heartbeat("us"));

            await().atMost(WAIT).until(() -> first.leading() ^ second.leading());
            RegionAgent leader = first.leading() ? first : second;
            RegionAgent standby = leader == first ? second : first;
            String leaderId = leader == first ? "agent-us-a" : "agent-us-b";
            String standbyId = leader == first ? "agent-us-b" : "agent-us-a";
            assertThat(MetricsPage.scrape(leader.httpPort()).value("meshpilot_agent_leader")).isEqualTo(1);
            assertThat(MetricsPage.scrape(standby.httpPort()).value("meshpilot_agent_leader")).isZero();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(heartbeats.latest(leaderId, AgentHeartbeat.class)).hasValueSatisfying(h ->
                        assertThat(h.leader()).isTrue());
                assertThat(heartbeats.latest(standbyId, AgentHeartbeat.class)).hasValueSatisfying(h ->
                        assertThat(h.leader()).isFalse());
            });

            region.sendDirective(1, "remote");
            await().atMost(WAIT).until(() -> region.events(SERVICE, "AffinityChanged").size() == 1);
            assertThat(reporters(region)).containsExactly(leaderId);

            leader.close();
            await().atMost(WAIT).until(standby::leading);
            region.sendDirective(2, "local");
            await().atMost(WAIT).until(() -> region.events(SERVICE, "AffinityChanged").size() == 2);

            assertThat(reporters(region)).containsExactly(leaderId, standbyId);
            assertThat(region.annotations(SERVICE)).containsEntry("service.cilium.io/affinity", "local");
        }
    }

    private static List<String> reporters(AgentHarness region) {
        return region.events(SERVICE, "AffinityChanged").stream()
                .sorted(java.util.Comparator.comparing(Event::getMessage))
                .flatMap(event -> Stream.of(event.getReportingInstance())).toList();
    }
}
