package io.meshpilot.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.world.RegionLiveness;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.testing.ManualTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LiveFeedTest {

    private final LiveFeed feed = new LiveFeed(new WorldModel(), new RegionLiveness(), new PolicyBook(),
            new ManualTime(Instant.parse("2026-12-03T12:00:00Z")));

    @Test
    void keepsTheLastHundredDecisions() {
        for (int i = 0; i < 150; i++) {
            feed.decision("{\"service\":\"svc-" + i + "\"}");
        }

        assertThat(feed.decisionsKept()).isEqualTo(LiveFeed.KEPT_DECISIONS);
    }

    @Test
    void keepsFewerWhenTheyAreLargeAndAlwaysTheNewest() {
        String wide = "{\"regions\":\"" + "x".repeat(LiveFeed.KEPT_DECISION_CHARS / 4) + "\"}";
        for (int i = 0; i < 10; i++) {
            feed.decision(wide);
        }
        assertThat(feed.decisionsKept()).isEqualTo(3);

        feed.decision("{\"regions\":\"" + "x".repeat(LiveFeed.KEPT_DECISION_CHARS * 2) + "\"}");
        assertThat(feed.decisionsKept()).isOne();
    }
}
