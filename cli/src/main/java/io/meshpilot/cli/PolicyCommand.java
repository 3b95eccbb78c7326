package io.meshpilot.cli;

import io.meshpilot.cli.policy.PolicyClient;
import io.meshpilot.cli.policy.PolicyDocuments;
import io.meshpilot.schemas.FieldError;
import io.meshpilot.schemas.Names;
import io.meshpilot.schemas.PolicyStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "policy", description = "Apply, get, delete or show the status of traffic policies "
        + "(the records of the policies topic).",
        subcommands = {PolicyCommand.Apply.class, PolicyCommand.Get.class, PolicyCommand.Delete.class,
            PolicyCommand.Status.class})
final class PolicyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Write the policies of a YAML or JSON file (one or several documents, each with its "
                    + "scope) and wait for the control plane's verdict. Exits 0 when all are accepted, 1 when one "
                    + "is rejected or no verdict comes in time.")
    static final class Apply implements Callable<Integer> {

        @Mixin
        KafkaOptions kafka;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true,
                description = "YAML or JSON file with TrafficPolicy documents; '-' reads standard input.")
        Path file;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
                defaultValue = "${env:MESHPILOT_POLICY_TIMEOUT:-30s}",
                description = "How long to wait for the verdicts (env MESHPILOT_POLICY_TIMEOUT; "
                        + "default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<PolicyDocuments.Document> documents = PolicyDocuments.read(file);
            PrintWriter out = spec.commandLine().getOut();
            PolicyClient client = new PolicyClient(kafka.settings(), kafka.topics());
            List<PolicyStatus> verdicts = client.apply(documents, timeout);
            boolean accepted = true;
            for (PolicyStatus verdict : verdicts) {
                print(out, verdict);
                accepted &= verdict.accepted();
            }
            if (verdicts.size() < documents.size()) {
                spec.commandLine().getErr().println("policy apply: no verdict within " + timeout.toSeconds()
                        + " s for " + (documents.size() - verdicts.size()) + " of " + documents.size()
                        + " policies; is a control plane running?");
                return 1;
            }
            return accepted ? 0 : 1;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Print the policies in the topic (all, or one scope), one JSON document per line.")
    static final class Get implements Callable<Integer> {

        @Mixin
        KafkaOptions kafka;

        @Parameters(arity = "0..1", paramLabel = "SCOPE", description = "<namespace>/<service>, <namespace>/* or *")
        String scope;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Optional.ofNullable(scope).ifPresent(PolicyCommand::checkScope);
            var policies = new PolicyClient(kafka.settings(), kafka.topics()).policies();
            policies.entrySet().stream().filter(entry -> scope == null || entry.getKey().equals(scope))
                    .forEach(entry -> spec.commandLine().getOut().println(entry.getValue()));
            if (scope != null && !policies.containsKey(scope)) {
                spec.commandLine().getErr().println("policy get: no policy for scope " + scope);
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete the policy of a scope (a tombstone); its Services fall back to the next less "
                    + "specific policy.")
    static final class Delete implements Callable<Integer> {

        @Mixin
        KafkaOptions kafka;

        @Parameters(paramLabel = "SCOPE")
        String scope;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            checkScope(scope);
            new PolicyClient(kafka.settings(), kafka.topics()).delete(scope);
            spec.commandLine().getOut().println(scope + ": deleted");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the control plane's verdict on the latest policy of a scope. Exits 0 if accepted.")
    static final class Status implements Callable<Integer> {

        @Mixin
        KafkaOptions kafka;

        @Parameters(paramLabel = "SCOPE")
        String scope;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            checkScope(scope);
            Optional<PolicyStatus> status = new PolicyClient(kafka.settings(), kafka.topics()).status(scope);
            if (status.isEmpty()) {
                spec.commandLine().getErr().println("policy status: no verdict for scope " + scope);
                return 1;
            }
            print(spec.commandLine().getOut(), status.get());
            return status.get().accepted() ? 0 : 1;
        }
    }

    static void print(PrintWriter out, PolicyStatus status) {
        out.println(status.scope() + ": " + (status.accepted() ? "accepted" : "rejected") + " (record "
                + status.policyPartition() + "@" + status.policyOffset() + ")");
        for (FieldError error : status.errors()) {
            out.println("  " + error.field() + ": " + error.problem());
        }
    }

    static void checkScope(String scope) {
        Names.scope(scope).ifPresent(problem -> {
            throw new IllegalArgumentException("scope '" + scope + "' " + problem);
        });
    }
}
