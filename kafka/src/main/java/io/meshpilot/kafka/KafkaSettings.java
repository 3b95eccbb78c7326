package io.meshpilot.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka client settings: a standard client properties file (TLS, SASL, anything a Kafka client takes) with an
 * optional bootstrap override, plus meshpilot's defaults for producers, consumers and admin clients. Settings from
 * the file win over the defaults, except the serializers, which meshpilot needs.
 */
public final class KafkaSettings {

    private final Map<String, Object> common;

    private KafkaSettings(Map<String, Object> common) {
        this.common = Map.copyOf(common);
    }

    /**
     * Reads the settings.
     *
     * @param propertiesFile   a Kafka client properties file, if any
     * @param bootstrapServers overrides {@code bootstrap.servers} of the file, if given
     * @throws IllegalArgumentException naming the setting when the file cannot be read or no bootstrap is known
     */
    public static KafkaSettings load(Optional<Path> propertiesFile, Optional<String> bootstrapServers) {
        Map<String, Object> settings = new HashMap<>();
        propertiesFile.ifPresent(file -> settings.putAll(read(file)));
        bootstrapServers.filter(servers -> !servers.isBlank())
                .ifPresent(servers -> settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers));
        Object bootstrap = settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap == null || bootstrap.toString().isBlank()) {
            throw new IllegalArgumentException("no Kafka bootstrap servers: set --kafka-bootstrap "
                    + "(MESHPILOT_KAFKA_BOOTSTRAP) or bootstrap.servers in --kafka-config (MESHPILOT_KAFKA_CONFIG)");
        }
        return new KafkaSettings(settings);
    }

    public static KafkaSettings bootstrap(String bootstrapServers) {
        return load(Optional.empty(), Optional.of(bootstrapServers));
    }

    public String bootstrapServers() {
        return common.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG).toString();
    }

    /** An idempotent producer of string keys and JSON bytes, acknowledged by all in-sync replicas. */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        config.putAll(common);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    /**
     * A consumer of string keys and raw bytes (the codec validates them) that sees only committed records and never
     * commits on its own.
     */
    public Map<String, Object> consumer(String clientId, Optional<String> groupId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        config.putAll(common);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        groupId.ifPresent(group -> config.put(ConsumerConfig.GROUP_ID_CONFIG, group));
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    public Map<String, Object> admin(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        config.putAll(common);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    private static Map<String, Object> read(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("--kafka-config: cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, Object> settings = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> settings.put(name, properties.getProperty(name).trim()));
        return settings;
    }
}
