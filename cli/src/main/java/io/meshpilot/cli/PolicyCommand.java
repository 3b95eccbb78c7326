package io.meshpilot.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "policy", description = "Apply, get, delete or show the status of traffic policies "
        + "(apply|get|delete|status). Not built yet.")
final class PolicyCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "apply -f FILE | get [SCOPE] | delete SCOPE | "
            + "status SCOPE")
    List<String> arguments;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return NotBuilt.report(spec.commandLine().getErr(), "policy",
                "issue 5: policy edits through the Kafka topic");
    }
}
