package io.meshpilot.controlplane;

import static io.meshpilot.controlplane.Regions.NONE_READY;
import static io.meshpilot.controlplane.Regions.READY;
import static io.meshpilot.controlplane.Regions.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.Decision;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.Topics;
import io.meshpilot.schemas.TrafficPolicy;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.TopicReader;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 22, point 3: with {@code maxWithdrawnRegions} 1 on a running control plane, once us is withdrawn for one
 * Service, eu is not withdrawn for another ({@code blocked-by-safety-rule}, the Decision names the rule) until us
 * comes back. The test plays the agents: it heartbeats and reports every directive applied.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MaxWithdrawnRegionsIT {

    private static final List<String> REGIONS = List.of("ap", "eu", "us");
    private static final List<String> SERVICES = List.of("hello-world", "cart");

    @Test
    void aSecondRegionIsNotWithdrawnUntilTheFirstComesBack(EmbeddedKafkaBroker kafka, Topics topics) {
        try (Regions regions = new Regions(kafka, topics, "ap", "eu", "us")) {
            regions.policy("*", new TrafficPolicy("*", null, null, null, null, 1, null, null, null, null, null,
                    null, null, null, 1));
            regions.startControlPlane("cp-0");
            Map<String, TopicReader> directives = new HashMap<>();
            REGIONS.forEach(region -> directives.put(region, regions.reader(topics.directives(region))));
            TopicReader decisions = regions.reader(topics.decisions());
            Agents agents = new Agents(regions, directives, new HashMap<>());
            regions.keepHeartbeating("ap", "eu", "us");
            for (String region : REGIONS) {
                SERVICES.forEach(service -> regions.health(region, service, READY));
            }
            await().atMost(WAIT).until(() -> agents.reasonIs("us", "hello-world", "local-healthy")
                    && agents.reasonIs("eu", "cart", "local-healthy"));

            regions.health("us", "hello-world", NONE_READY);
            await().atMost(WAIT).until(() -> agents.reasonIs("us", "hello-world", "local-degraded")
                    && "false".equals(agents.shared("us", "hello-world")));

            regions.health("eu", "cart", NONE_READY);
            await().atMost(WAIT).until(() -> agents.reasonIs("eu", "cart", "blocked-by-safety-rule"));
            assertThat(agents.shared("eu", "cart")).as("eu keeps exporting cart").isEqualTo("true");
            assertThat(decisions.latest("default/cart", Decision.class).orElseThrow().regions().stream()
                    .filter(region -> region.region().equals("eu")).findFirst().orElseThrow().safetyRule())
                    .isEqualTo("maxWithdrawnRegions");

            regions.health("us", "hello-world", READY);
            await().atMost(WAIT).until(() -> agents.reasonIs("us", "hello-world", "local-healthy")
                    && agents.reasonIs("eu", "cart", "local-degraded")
                    && "false".equals(agents.shared("eu", "cart")));
        }
    }

    /** The agents: each region reports every directive it reads applied, once. */
    private record Agents(Regions regions, Map<String, TopicReader> directives, Map<String, Long> applied) {

        boolean reasonIs(String region, String service, String reason) {
            return latest(region, service).map(directive -> directive.reason().equals(reason)).orElse(false);
        }

        String shared(String region, String service) {
            return latest(region, service).map(directive -> directive.annotations()
                    .get("service.cilium.io/shared")).orElse(null);
        }

        private Optional<ServiceDirective> latest(String region, String service) {
            applyAll();
            return directives.get(region).latest("default/" + service, ServiceDirective.class);
        }

        private void applyAll() {
            directives.forEach((region, reader) -> SERVICES.forEach(service -> reader.latest("default/" + service,
                    ServiceDirective.class).filter(directive -> !Long.valueOf(directive.version())
                            .equals(applied.put(region + "/" + service, directive.version())))
                    .ifPresent(directive -> regions.send(regions.topics.status(region), "default/" + service,
                            new DirectiveStatus(region, "default", service, directive.version(),
                                    DirectiveStatus.Result.APPLIED, "applied", Instant.now(), "agent-" + region)))));
        }
    }
}
