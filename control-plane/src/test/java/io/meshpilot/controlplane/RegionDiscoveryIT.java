package io.meshpilot.controlplane;

import static io.meshpilot.controlplane.Regions.KEY;
import static io.meshpilot.controlplane.Regions.READY;
import static io.meshpilot.controlplane.Regions.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 4, point 3: a region is added by installing its agent; the control plane finds its topics while running. */
@ExtendWith(KafkaBrokerExtension.class)
class RegionDiscoveryIT {

    @Test
    void decidesForARegionWhoseTopicsAppearWhileItRuns(EmbeddedKafkaBroker kafka, Topics topics) {
        try (Regions regions = new Regions(kafka, topics, "us")) {
            regions.startControlPlane("cp-0");
            regions.heartbeats("us");
            regions.health("us", READY);
            TopicReader us = regions.reader(topics.directives("us"));
            await().atMost(WAIT).until(() -> us.latest(KEY, ServiceDirective.class).isPresent());

            regions.provision("ap");
            regions.heartbeats("us", "ap");
            regions.health("ap", READY);
            TopicReader ap = regions.reader(topics.directives("ap"));

            await().atMost(WAIT).untilAsserted(() -> assertThat(ap.latest(KEY, ServiceDirective.class))
                    .hasValueSatisfying(directive -> {
                        assertThat(directive.region()).isEqualTo("ap");
                        assertThat(directive.annotations()).containsEntry("service.cilium.io/affinity", "local");
                    }));
        }
    }
}
