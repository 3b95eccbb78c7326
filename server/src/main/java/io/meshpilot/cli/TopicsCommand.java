package io.meshpilot.cli;

import io.meshpilot.kafka.TopicProvisioner;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "topics", description = "Manage meshpilot's Kafka topics.",
        subcommands = TopicsCommand.Create.class)
final class TopicsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create",
            description = "Create the shared topics and those of each region (existing topics are left alone).")
    static final class Create implements Callable<Integer> {

        @Mixin
        KafkaOptions kafka;

        @Option(names = "--regions", paramLabel = "NAME[,...]", split = ",",
                defaultValue = "${env:MESHPILOT_TOPICS_REGIONS}",
                description = "Regions whose topics to create; required (env MESHPILOT_TOPICS_REGIONS).")
        List<String> regions;

        @Option(names = "--partitions", paramLabel = "N", defaultValue = "${env:MESHPILOT_PARTITIONS:-6}",
                description = "Partitions of every per-region topic: the same for all, so one control-plane replica "
                        + "owns a Service in every region (env MESHPILOT_PARTITIONS; default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--replication-factor", paramLabel = "N",
                defaultValue = "${env:MESHPILOT_REPLICATION_FACTOR:-3}",
                description = "Replication factor (env MESHPILOT_REPLICATION_FACTOR; default: ${DEFAULT-VALUE}).")
        short replicationFactor;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (regions == null || regions.isEmpty()) {
                throw new IllegalArgumentException("--regions is required (env MESHPILOT_TOPICS_REGIONS)");
            }
            TopicProvisioner.Layout layout = new TopicProvisioner.Layout(partitions, replicationFactor);
            List<String> created = kafka.ask(settings -> {
                try (Admin admin = Admin.create(settings.admin("meshpilot-topics"))) {
                    return new TopicProvisioner(admin, kafka.topics(), layout).provision(regions);
                }
            });
            created.forEach(topic -> spec.commandLine().getOut().println("created " + topic));
            spec.commandLine().getOut().println(created.size() + " topics created");
            return 0;
        }
    }
}
