package io.meshpilot.cli;

import io.meshpilot.cli.practice.PracticeClient;
import io.meshpilot.controlplane.practice.PracticeValidator;
import io.meshpilot.controlplane.practice.PracticeVerdict;
import io.meshpilot.schemas.FieldError;
import io.meshpilot.schemas.PracticeRun;
import io.meshpilot.schemas.PracticeRunStatus;
import io.meshpilot.schemas.RecordCodec;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "practice", description = "Start, abort or show practice runs: a region drained for a window, the "
        + "time to the annotations applied and the failback measured (the records of the practice-runs topic).",
        subcommands = {PracticeCommand.Start.class, PracticeCommand.Abort.class, PracticeCommand.Status.class})
final class PracticeCommand implements Runnable {

    private static final Set<String> FAILED = Set.of("rejected", "refused", "aborted");

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "start",
            description = "Write a practice run and wait for the control plane's answer (running, scheduled, or why "
                    + "not). Nothing is written if the run is invalid.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the run is running or scheduled",
                "1:Kafka failed (unreachable, topic missing, a write failed)",
                "2:usage error: bad flags",
                "3:the run was rejected (here, nothing written, or by the control plane) or refused",
                "4:no answer within --timeout (is a control plane running?)"})
    static final class Start implements Callable<Integer> {

        @Mixin
        KafkaOptions kafka;

        @Mixin
        OutputOption output;

        @Parameters(paramLabel = "NAME", description = "The run's name (the record key): a DNS-1123 label.")
        String name;

        @Option(names = "--region", paramLabel = "REGION", defaultValue = "${env:MESHPILOT_PRACTICE_REGION}",
                description = "The region to drain; required (env MESHPILOT_PRACTICE_REGION).")
        String region;

        @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
                defaultValue = "${env:MESHPILOT_PRACTICE_DURATION}",
                description = "How long the region stays drained, in whole seconds (e.g. 5m); required (env "
                        + "MESHPILOT_PRACTICE_DURATION).")
        Duration duration;

        @Option(names = "--start-at", paramLabel = "TIME", defaultValue = "${env:MESHPILOT_PRACTICE_START_AT}",
                description = "When the drain begins (RFC 3339, e.g. 2026-12-02T09:00:00Z; env "
                        + "MESHPILOT_PRACTICE_START_AT); default: as soon as the control plane reads the run.")
        Instant startAt;

        @Option(names = "--services", split = ",", paramLabel = "SCOPE",
                defaultValue = "${env:MESHPILOT_PRACTICE_SERVICES}",
                description = "The Services drained, as policy scopes (<namespace>/<service>, <namespace>/* or *; env "
                        + "MESHPILOT_PRACTICE_SERVICES); default: every Service.")
        List<String> services;

        @Option(names = "--allowed-hours", paramLabel = "HH:MM-HH:MM",
                defaultValue = "${env:MESHPILOT_PRACTICE_ALLOWED_HOURS}",
                description = "The run's whole window must fall within these hours (env "
                        + "MESHPILOT_PRACTICE_ALLOWED_HOURS); default: any time.")
        String allowedHours;

        @Option(names = "--time-zone", paramLabel = "ZONE", defaultValue = "${env:MESHPILOT_PRACTICE_TIME_ZONE}",
                description = "The time zone of --allowed-hours, e.g. Europe/Berlin (env "
                        + "MESHPILOT_PRACTICE_TIME_ZONE); default: UTC.")
        String timeZone;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
                defaultValue = "${env:MESHPILOT_PRACTICE_TIMEOUT:-30s}",
                description = "How long to wait for the answer (env MESHPILOT_PRACTICE_TIMEOUT; default: "
                        + "${DEFAULT-VALUE}).")
        Duration timeout;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (region == null) {
                throw new IllegalArgumentException("--region is required (env MESHPILOT_PRACTICE_REGION)");
            }
            if (duration == null) {
                throw new IllegalArgumentException("--duration is required (env MESHPILOT_PRACTICE_DURATION)");
            }
            if (duration.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("--duration must be whole seconds, got " + duration);
            }
            PracticeRun run = new PracticeRun(null, region, startAt, (int) Math.min(Integer.MAX_VALUE,
                    duration.toSeconds()), services, allowedHours, timeZone);
            PrintWriter out = spec.commandLine().getOut();
            if (new PracticeValidator().judge(name, RecordCodec.get().encode(run), Set.of())
                    instanceof PracticeVerdict.Rejected rejected) {
                out.println(name + ": rejected, nothing written");
                rejected.errors().forEach(error -> out.println("  " + error.field() + ": " + error.problem()));
                out.flush();
                return UsageErrors.REJECTED;
            }
            Optional<PracticeRunStatus> answer = kafka.ask(settings -> new PracticeClient(settings, kafka.topics())
                    .start(name, run, timeout));
            if (answer.isEmpty()) {
                spec.commandLine().getErr().println("practice start: no answer within " + timeout.toMillis()
                        + " ms to the run written to " + kafka.topics().practiceRuns()
                        + "; is a control plane running?");
                return UsageErrors.TIMED_OUT;
            }
            show(output, out, answer.get());
            return FAILED.contains(answer.get().phase()) ? UsageErrors.REJECTED : 0;
        }
    }

    @Command(name = "abort", description = "Abort a practice run (a tombstone on its record): its drain is lifted "
            + "and the failback measured; the report says operator-abort.")
    static final class Abort implements Callable<Integer> {

        @Mixin
        KafkaOptions kafka;

        @Parameters(paramLabel = "NAME")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            kafka.ask(settings -> {
                new PracticeClient(settings, kafka.topics()).abort(name);
                return name;
            });
            spec.commandLine().getOut().println(name + ": abort requested (its record deleted)");
            return 0;
        }
    }

    @Command(name = "status",
            description = "Show the report of a practice run (or of every run): its phase, what was measured per "
                    + "Service and region, and what stopped it (-o json or yaml: the PracticeRunStatus documents).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the run is running, scheduled, failing back or completed",
                "1:no status for the run",
                "3:the run was rejected, refused or aborted",
                "4:--wait ran out before the run ended"})
    static final class Status implements Callable<Integer> {

        @Mixin
        KafkaOptions kafka;

        @Mixin
        OutputOption output;

        @Parameters(arity = "0..1", paramLabel = "NAME")
        String name;

        @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class,
                defaultValue = "${env:MESHPILOT_PRACTICE_WAIT}",
                description = "Wait up to this long for the run to end, with NAME (env MESHPILOT_PRACTICE_WAIT).")
        Duration wait;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (name == null) {
                if (wait != null) {
                    throw new IllegalArgumentException("--wait needs the run's NAME");
                }
                Map<String, PracticeRunStatus> all = kafka.ask(settings -> new PracticeClient(settings,
                        kafka.topics()).statuses());
                all.values().forEach(status -> show(output, out, status));
                out.flush();
                return 0;
            }
            Optional<PracticeRunStatus> status = kafka.ask(settings -> {
                PracticeClient client = new PracticeClient(settings, kafka.topics());
                return wait == null ? Optional.ofNullable(client.statuses().get(name))
                        : client.awaitEnded(name, wait).or(() -> Optional.ofNullable(client.statuses().get(name)));
            });
            if (status.isEmpty()) {
                spec.commandLine().getErr().println("practice status: no status for run " + name + " in "
                        + kafka.topics().practiceStatus());
                return 1;
            }
            show(output, out, status.get());
            if (wait != null && !PracticeClient.ended(status.get())) {
                spec.commandLine().getErr().println("practice status: run " + name + " is still "
                        + status.get().phase() + " after " + wait.toMillis() + " ms");
                return UsageErrors.TIMED_OUT;
            }
            return FAILED.contains(status.get().phase()) ? UsageErrors.REJECTED : 0;
        }
    }

    static void show(OutputOption output, PrintWriter out, PracticeRunStatus status) {
        if (output.text()) {
            print(out, status);
        } else {
            output.print(out, RecordCodec.get().toTree(status));
        }
        out.flush();
    }

    static void print(PrintWriter out, PracticeRunStatus status) {
        out.println(status.name() + ": " + status.phase() + " (record " + status.runPartition() + "@"
                + status.runOffset() + ")");
        if (status.errors() != null) {
            for (FieldError error : status.errors()) {
                out.println("  " + error.field() + ": " + error.problem());
            }
        }
        if (status.reason() != null) {
            out.println("  " + status.reason() + (status.detail() == null ? "" : ": " + status.detail()));
        }
        if (status.startedAt() != null) {
            out.println("  " + status.region() + " drained from " + status.startedAt() + " until "
                    + (status.endedAt() != null ? status.endedAt() : status.windowEndsAt()));
        } else if (status.startAt() != null) {
            out.println("  " + status.region() + " to be drained at " + status.startAt());
        }
        if (status.drainSeconds() != null || status.failbackSeconds() != null) {
            out.println("  slowest drain " + seconds(status.drainSeconds()) + ", slowest failback "
                    + seconds(status.failbackSeconds()));
        }
        if (status.services() != null) {
            for (PracticeRunStatus.ServiceReport service : status.services()) {
                out.println("  " + service.namespace() + "/" + service.service() + "  drain: " + times(service.drain())
                        + "  failback: " + times(service.failback())
                        + (service.blocked() == null ? "" : "  blocked: " + service.blocked()));
            }
        }
    }

    private static String times(List<PracticeRunStatus.RegionTime> regions) {
        return regions.isEmpty() ? "-" : String.join(", ", regions.stream().map(region -> region.region() + " "
                + (region.seconds() == null ? "not applied" : seconds(region.seconds()))).toList());
    }

    private static String seconds(Double seconds) {
        return seconds == null ? "-" : String.format(Locale.ROOT, "%.2f s", seconds);
    }
}
