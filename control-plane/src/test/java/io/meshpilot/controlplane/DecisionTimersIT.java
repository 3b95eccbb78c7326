package io.meshpilot.controlplane;

import static io.meshpilot.controlplane.Regions.KEY;
import static io.meshpilot.controlplane.Regions.NONE_READY;
import static io.meshpilot.controlplane.Regions.READY;
import static io.meshpilot.controlplane.Regions.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.Topics;
import io.meshpilot.schemas.TrafficPolicy;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.MetricsPage;
import io.meshpilot.testing.TopicReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 4, point 2: delays and silence act through timers, with no input arriving meanwhile. */
@ExtendWith(KafkaBrokerExtension.class)
class DecisionTimersIT {

    @Test
    void failsBackWhenTheFailbackDelayEndsWithNothingElseHappening(EmbeddedKafkaBroker kafka, Topics topics) {
        try (Regions regions = new Regions(kafka, topics, "us", "eu")) {
            regions.policy("*", policy(2, 60));
            regions.startControlPlane("cp-0");
            TopicReader us = regions.reader(topics.directives("us"));
            regions.heartbeats("us", "eu");
            regions.health("eu", READY);
            regions.health("us", NONE_READY);
            await().atMost(WAIT).until(() -> "local-degraded".equals(reason(us)));

            regions.heartbeats("us", "eu");
            regions.health("us", READY);
            await().atMost(WAIT).until(() -> "failback-pending".equals(reason(us)));
            regions.heartbeats("us", "eu");

            await().atMost(WAIT).until(() -> "local-healthy".equals(reason(us)));
            assertThat(us.documents(ServiceDirective.class)).extracting(ServiceDirective::reason)
                    .containsSubsequence("local-degraded", "failback-pending", "local-healthy");
        }
    }

    @Test
    void holdsASilentRegionsDirectiveAndNeverChoosesItAsANewTarget(EmbeddedKafkaBroker kafka, Topics topics) {
        try (Regions regions = new Regions(kafka, topics, "us", "eu")) {
            regions.policy("*", policy(1, 1));
            ControlPlane controlPlane = regions.startControlPlane("cp-0");
            TopicReader us = regions.reader(topics.directives("us"));
            TopicReader eu = regions.reader(topics.directives("eu"));
            regions.heartbeats("us", "eu");
            regions.health("eu", READY);
            regions.health("us", READY);
            await().atMost(WAIT).until(() -> "local-healthy".equals(reason(eu)) && "local-healthy".equals(reason(us)));
            int euDirectives = eu.documents(ServiceDirective.class).size();

            regions.heartbeats("us");
            await().atMost(WAIT).until(() -> MetricsPage.get(controlPlane.httpPort(), "/api/v1/services/" + KEY)
                    .body().contains("\"region\":\"eu\",\"state\":\"stale\""));
            regions.heartbeats("us");
            regions.health("us", NONE_READY);

            await().atMost(WAIT).until(() -> "no-healthy-target".equals(reason(us)));
            assertThat(eu.documents(ServiceDirective.class)).as("eu keeps its last directive").hasSize(euDirectives);
        }
    }

    private static TrafficPolicy policy(int failbackSeconds, int staleAfterSeconds) {
        return new TrafficPolicy("*", null, null, null, null, failbackSeconds, staleAfterSeconds, null, null,
                List.of());
    }

    private static String reason(TopicReader directives) {
        return directives.latest(KEY, ServiceDirective.class).map(ServiceDirective::reason).orElse(null);
    }
}
