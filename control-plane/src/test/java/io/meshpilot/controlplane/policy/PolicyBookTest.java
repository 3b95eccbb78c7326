package io.meshpilot.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshpilot.core.decision.Mode;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 5, point 1: the most specific scope wins; a tombstone falls back to the next one. */
class PolicyBookTest {

    private static final ServiceKey WEB = new ServiceKey("team-a", "web");
    private final PolicyBook book = new PolicyBook();

    @Test
    void appliesTheDefaultsWhenNoPolicyCoversAService() {
        assertThat(book.resolve(WEB)).isEqualTo(Policy.DEFAULT);
    }

    @Test
    void prefersTheServiceOverItsNamespaceOverEverything() {
        book.accept("*", policy("*", Mode.AUTO));
        assertThat(book.resolve(WEB).scope()).isEqualTo("*");
        book.accept("team-a/*", policy("team-a/*", Mode.LOCAL));
        assertThat(book.resolve(WEB).scope()).isEqualTo("team-a/*");
        book.accept("team-a/web", policy("team-a/web", Mode.REMOTE));
        assertThat(book.resolve(WEB).mode()).isEqualTo(Mode.REMOTE);
        assertThat(book.resolve(new ServiceKey("team-a", "api")).scope()).isEqualTo("team-a/*");
        assertThat(book.resolve(new ServiceKey("team-b", "web")).scope()).isEqualTo("*");
    }

    @Test
    void fallsBackToTheNextScopeWhenAPolicyIsDeleted() {
        book.accept("*", policy("*", Mode.AUTO));
        book.accept("team-a/web", policy("team-a/web", Mode.REMOTE));

        book.delete("team-a/web");

        assertThat(book.resolve(WEB).scope()).isEqualTo("*");
    }

    @Test
    void tellsWhichScopesCoverAService() {
        assertThat(PolicyBook.covers("*", WEB)).isTrue();
        assertThat(PolicyBook.covers("team-a/*", WEB)).isTrue();
        assertThat(PolicyBook.covers("team-a/web", WEB)).isTrue();
        assertThat(PolicyBook.covers("team-a/api", WEB)).isFalse();
        assertThat(PolicyBook.covers("team-b/*", WEB)).isFalse();
    }

    private static Policy policy(String scope, Mode mode) {
        return new Policy(scope, mode, 1, 0, Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(15), List.of(),
                0, Set.of());
    }
}
