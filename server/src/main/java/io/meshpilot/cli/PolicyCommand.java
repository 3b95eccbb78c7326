package io.meshpilot.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshpilot.cli.policy.PolicyClient;
import io.meshpilot.cli.policy.PolicyDocuments;
import io.meshpilot.schemas.FieldError;
import io.meshpilot.schemas.Names;
import io.meshpilot.schemas.PolicyStatus;
import io.meshpilot.schemas.RecordCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    @Command(name = "apply",
            description = "Check the policies of a YAML or JSON file (one or several documents, each with its scope) "
                    + "against the bundled schemas, write them and wait for the control plane's verdict. Nothing is "
                    + "written if any document is invalid.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every policy accepted (or, with --dry-run, valid)",
                "1:Kafka failed (unreachable, topic missing, a write failed)",
                "2:usage error: bad flags, a file that cannot be read or a document without scope",
                "3:a policy was rejected, by the schemas here (nothing written) or by the control plane",
                "4:no verdict within --timeout (is a control plane running?)"},
            footer = {"", "With --what-if nothing is written: the control plane at --url judges the policies and "
                + "answers what they would change (exit 2 if it rejects one, 1 if it cannot be reached)."})
    static final class Apply implements Callable<Integer> {

        @Mixin
        KafkaOptions kafka;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", defaultValue = "${env:MESHPILOT_POLICY_FILE}",
                description = "YAML or JSON file with TrafficPolicy documents; '-' reads standard input; required "
                        + "(env MESHPILOT_POLICY_FILE).")
        Path file;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
                defaultValue = "${env:MESHPILOT_POLICY_TIMEOUT:-30s}",
                description = "How long to wait for the verdicts (env MESHPILOT_POLICY_TIMEOUT; "
                        + "default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--dry-run", defaultValue = "${env:MESHPILOT_POLICY_DRY_RUN:-false}",
                description = "Only check the documents against the bundled schemas; write nothing and need no Kafka "
                        + "(env MESHPILOT_POLICY_DRY_RUN).")
        boolean dryRun;

        @Option(names = "--what-if", defaultValue = "${env:MESHPILOT_POLICY_WHAT_IF:-false}",
                description = "Write nothing: ask the control plane at --url what the policies would change, per "
                        + "Service and region, and which Services would end in a global outage (env "
                        + "MESHPILOT_POLICY_WHAT_IF; -o json or yaml prints the API's own fields).")
        boolean whatIf;

        @Mixin
        ControlPlaneApi api;

        @Mixin
        OutputOption output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            if (file == null) {
                throw new IllegalArgumentException("-f/--file is required (env MESHPILOT_POLICY_FILE)");
            }
            List<PolicyDocuments.Document> documents = PolicyDocuments.read(file);
            PrintWriter out = spec.commandLine().getOut();
            boolean valid = true;
            for (PolicyDocuments.Document document : documents) {
                List<FieldError> errors = PolicyDocuments.check(document);
                if (!errors.isEmpty() || dryRun) {
                    print(out, document.scope(), errors.isEmpty() ? "valid (dry run, not written)" : "rejected by "
                            + "the schemas, nothing written", errors);
                }
                valid &= errors.isEmpty();
            }
            out.flush();
            if (!valid) {
                return UsageErrors.REJECTED;
            }
            if (dryRun) {
                return 0;
            }
            if (whatIf) {
                ObjectNode request = OutputOption.JSON.createObjectNode();
                request.putArray("changes");
                request.set("policies", WhatIfCommand.policies(documents));
                return WhatIfCommand.ask(api, output, request, out);
            }
            List<PolicyStatus> verdicts = kafka.ask(settings -> new PolicyClient(settings, kafka.topics())
                    .apply(documents, timeout));
            boolean accepted = true;
            for (PolicyStatus verdict : verdicts) {
                print(out, verdict);
                accepted &= verdict.accepted();
            }
            out.flush();
            if (!accepted) {
                return UsageErrors.REJECTED;
            }
            if (verdicts.size() < documents.size()) {
                spec.commandLine().getErr().println("policy apply: no verdict within " + timeout.toMillis()
                        + " ms for " + (documents.size() - verdicts.size()) + " of " + documents.size()
                        + " policies written to " + kafka.topics().policies() + "; is a control plane running?");
                return UsageErrors.TIMED_OUT;
            }
            return 0;
        }
    }

    @Command(name = "get",
            description = "Print the policies in the topic (all, or one scope): as text one JSON document per line; "
                    + "-o json or yaml gives {items: [{scope, policy}]}, or the one policy asked for.")
    static final class Get implements Callable<Integer> {

        @Mixin
        KafkaOptions kafka;

        @Mixin
        OutputOption output;

        @Parameters(arity = "0..1", paramLabel = "SCOPE", description = "<namespace>/<service>, <namespace>/* or *")
        String scope;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Optional.ofNullable(scope).ifPresent(PolicyCommand::checkScope);
            Map<String, String> policies = kafka.ask(settings -> new PolicyClient(settings, kafka.topics())
                    .policies());
            if (scope != null && !policies.containsKey(scope)) {
                spec.commandLine().getErr().println("policy get: no policy for scope " + scope + " in "
                        + kafka.topics().policies());
                return 1;
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.text()) {
                policies.entrySet().stream().filter(entry -> scope == null || entry.getKey().equals(scope))
                        .forEach(entry -> out.println(entry.getValue()));
                out.flush();
                return 0;
            }
            if (scope != null) {
                output.print(out, OutputOption.JSON.readTree(policies.get(scope)));
                return 0;
            }
            ObjectNode list = OutputOption.JSON.createObjectNode();
            ArrayNode items = list.putArray("items");
            for (Map.Entry<String, String> entry : policies.entrySet()) {
                ObjectNode item = items.addObject().put("scope", entry.getKey());
                item.set("policy", OutputOption.JSON.readTree(entry.getValue()));
            }
            output.print(out, list);
            return 0;
        }
    }

    @Command(name = "delete",
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
            kafka.ask(settings -> {
                new PolicyClient(settings, kafka.topics()).delete(scope);
                return scope;
            });
            spec.commandLine().getOut().println(scope + ": deleted");
            return 0;
        }
    }

    @Command(name = "status",
            description = "Show the control plane's verdict on the latest policy of a scope (-o json or yaml: the "
                    + "PolicyStatus document). Exits 0 if accepted, 3 if rejected, 1 if there is no verdict.")
    static final class Status implements Callable<Integer> {

        @Mixin
        KafkaOptions kafka;

        @Mixin
        OutputOption output;

        @Parameters(paramLabel = "SCOPE")
        String scope;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            checkScope(scope);
            Optional<PolicyStatus> status = kafka.ask(settings -> new PolicyClient(settings, kafka.topics())
                    .status(scope));
            if (status.isEmpty()) {
                spec.commandLine().getErr().println("policy status: no verdict for scope " + scope + " in "
                        + kafka.topics().policyStatus());
                return 1;
            }
            if (output.text()) {
                print(spec.commandLine().getOut(), status.get());
            } else {
                output.print(spec.commandLine().getOut(), RecordCodec.get().toTree(status.get()));
            }
            return status.get().accepted() ? 0 : UsageErrors.REJECTED;
        }
    }

    static void print(PrintWriter out, PolicyStatus status) {
        print(out, status.scope(), (status.accepted() ? "accepted" : "rejected") + " (record "
                + status.policyPartition() + "@" + status.policyOffset() + ")", status.errors());
        if (status.warnings() != null) {
            status.warnings().forEach(warning -> out.println("  warning: " + warning));
        }
        if (status.expiredAt() != null) {
            out.println("  expired at " + status.expiredAt() + ": its Services have returned to the next policy down");
        }
    }

    private static void print(PrintWriter out, String scope, String verdict, List<FieldError> errors) {
        out.println(scope + ": " + verdict);
        for (FieldError error : errors) {
            out.println("  " + error.field() + ": " + error.problem());
        }
    }

    static void checkScope(String scope) {
        Names.scope(scope).ifPresent(problem -> {
            throw new IllegalArgumentException("scope '" + scope + "' " + problem);
        });
    }
}
