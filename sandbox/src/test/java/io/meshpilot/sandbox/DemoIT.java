package io.meshpilot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The README's run command: the demo passes, in a sandbox of its own, on either Kubernetes, and says what it did. */
class DemoIT {

    @Test
    void replaysTheWalkthroughAndPassesOnRealKubernetes() {
        replaysTheWalkthroughAndPasses(KubernetesBackend.REAL);
    }

    @Test
    void replaysTheWalkthroughAndPassesOnTheEmbeddedServer() {
        replaysTheWalkthroughAndPasses(KubernetesBackend.EMBEDDED);
    }

    private static void replaysTheWalkthroughAndPasses(KubernetesBackend kubernetes) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int exitCode = new Demo(new PrintStream(printed, true, StandardCharsets.UTF_8), Clock.systemUTC(), kubernetes)
                .run();

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(exitCode).as(output).isZero();
        assertThat(output)
                .contains("[4/10] What if us went down? (meshpilot what-if --down us")
                .contains("us  now local-healthy, clients reach [us]; would be local-degraded (affinity=remote "
                        + "shared=false), clients reach [eu]")
                .contains("global outage: none")
                .contains("[5/10] us is scaled to 0 replicas: its clients reach Europe")
                .contains("us  global=true shared=false affinity=remote")
                .contains("10 requests from a client in us: 10 x {\"message\": \"Hello world from Europe!\"}")
                .contains("10 requests from a client in us: 6 x {\"message\": \"Hello world from US!\"}, "
                        + "4 x {\"message\": \"Hello world from Europe!\"}")
                .contains("[7/10] Practice run: us drained for 2 s")
                .contains("practice run demo-drill: completed")
                .contains("slowest drain ")
                .contains("drained (directive")
                .contains("[held: us is stale]")
                .contains("Demo passed: 10 of 10 steps matched");
    }
}
