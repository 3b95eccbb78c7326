package io.meshpilot.cli;

import io.meshpilot.sandbox.Demo;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo",
        description = "Replay the Cilium Cluster Mesh walkthrough in a fresh sandbox, step by step, with meshpilot "
                + "deciding the annotations. Exits 0 only if every step matched its expectation.")
final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        return new Demo(new PrintStream(System.out, true, StandardCharsets.UTF_8), Clock.systemUTC()).run();
    }
}
