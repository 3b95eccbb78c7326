package io.meshpilot.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {

    @Test
    void readsAStandardClientPropertiesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, """
                bootstrap.servers=kafka-0:9093
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                acks=1
                """);

        KafkaSettings settings = KafkaSettings.load(Optional.of(file), Optional.empty());

        assertThat(settings.bootstrapServers()).isEqualTo("kafka-0:9093");
        assertThat(settings.producer("agent-us"))
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("acks", "1")
                .containsEntry("client.id", "agent-us")
                .containsEntry("key.serializer", StringSerializer.class);
        assertThat(settings.consumer("cp", Optional.of("group"))).containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("group.id", "group").containsEntry("enable.auto.commit", false)
                .containsEntry("isolation.level", "read_committed");
    }

    @Test
    void letsTheBootstrapFlagWinOverTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "bootstrap.servers=kafka-0:9093\n");

        assertThat(KafkaSettings.load(Optional.of(file), Optional.of("127.0.0.1:9092")).bootstrapServers())
                .isEqualTo("127.0.0.1:9092");
    }

    @Test
    void namesTheSettingWhenNoBootstrapIsKnown() {
        assertThatThrownBy(() -> KafkaSettings.load(Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--kafka-bootstrap").hasMessageContaining("MESHPILOT_KAFKA_CONFIG");
    }

    @Test
    void namesTheFileItCannotRead(@TempDir Path dir) {
        Path missing = dir.resolve("missing.properties");

        assertThatThrownBy(() -> KafkaSettings.load(Optional.of(missing), Optional.of("x:1")))
                .hasMessageStartingWith("--kafka-config: cannot read " + missing);
    }
}
