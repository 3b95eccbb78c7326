package io.meshpilot.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "explain", description = "Explain the current decision for a Service, region by region. "
        + "Not built yet.")
final class ExplainCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "NAMESPACE/SERVICE")
    List<String> arguments;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return NotBuilt.report(spec.commandLine().getErr(), "explain", "issue 4: the control plane's HTTP API");
    }
}
