package io.meshpilot.cli;

import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.schemas.Topics;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Option;

/** How a command reaches Kafka: a standard client properties file, a bootstrap override and the topic prefix. */
final class KafkaOptions {

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:MESHPILOT_KAFKA_BOOTSTRAP}",
            description = "Kafka bootstrap servers; overrides bootstrap.servers of --kafka-config "
                    + "(env MESHPILOT_KAFKA_BOOTSTRAP).")
    String bootstrap;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:MESHPILOT_KAFKA_CONFIG}",
            description = "Kafka client properties file: TLS, SASL and any other client setting "
                    + "(env MESHPILOT_KAFKA_CONFIG).")
    Path config;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = "${env:MESHPILOT_TOPIC_PREFIX:-meshpilot}",
            description = "Prefix of every meshpilot topic (env MESHPILOT_TOPIC_PREFIX; default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    /** Runs calls to Kafka; a failure says which Kafka it asked. */
    <T> T ask(Function<KafkaSettings, T> calls) {
        KafkaSettings settings = settings();
        try {
            return calls.apply(settings);
        } catch (KafkaException | IllegalStateException e) {
            throw new IllegalStateException("Kafka at " + settings.bootstrapServers() + ": " + Failures.describe(e),
                    e);
        }
    }

    KafkaSettings settings() {
        return KafkaSettings.load(Optional.ofNullable(config), Optional.ofNullable(bootstrap));
    }

    Topics topics() {
        return new Topics(topicPrefix);
    }
}
