package io.meshpilot.cli;

import io.meshpilot.sandbox.Demo;
import io.meshpilot.sandbox.KubernetesBackend;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo",
        description = "Replay the Cilium Cluster Mesh walkthrough in a fresh sandbox, step by step, with meshpilot "
                + "deciding the annotations. Exits 0 only if every step matched its expectation.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--kubernetes", paramLabel = "real|embedded", defaultValue = "${env:MESHPILOT_SANDBOX_KUBERNETES}",
            description = "The sandbox regions' Kubernetes, as for meshpilot sandbox (env MESHPILOT_SANDBOX_KUBERNETES; "
                    + "default: real when its binaries are built, else embedded).")
    String kubernetes;

    @Override
    public Integer call() {
        return new Demo(new PrintStream(System.out, true, StandardCharsets.UTF_8), Clock.systemUTC(),
                KubernetesBackend.choose(kubernetes)).run();
    }
}
