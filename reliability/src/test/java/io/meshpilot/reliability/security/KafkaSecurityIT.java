package io.meshpilot.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.meshpilot.agent.AgentSettings;
import io.meshpilot.agent.RegionAgent;
import io.meshpilot.controlplane.ControlPlane;
import io.meshpilot.controlplane.ControlPlaneSettings;
import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.embedded.kafka.Listener;
import io.meshpilot.embedded.kubernetes.real.RealApiServer;
import io.meshpilot.embedded.kubernetes.real.RealRegions;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.kafka.TopicProvisioner;
import io.meshpilot.sandbox.WalkthroughWorkload;
import io.meshpilot.sandbox.AgentIdentity;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.MetricsPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka locked down as docs/install.md says: a broker with a SASL_SSL listener (TLS, SCRAM-SHA-512), the
 * StandardAuthorizer denying whatever no ACL allows, one principal per region's agent and one for the control plane,
 * granted exactly the ACLs of the docs' tables. Its own broker, since the shared one is open: its PLAINTEXT listener
 * serves only the set-up, as a super user.
 */
class KafkaSecurityIT {

    private static final List<String> REGIONS = List.of("us", "eu");
    private static final String SECURE = "SECURE";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Topics TOPICS = Topics.defaults();

    private static Path directory;
    private static Certificates certificates;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void lockedDownBroker(@TempDir Path temporary) throws Exception {
        directory = temporary;
        certificates = Certificates.create(temporary);
        broker = EmbeddedKafkaBroker.start(Map.of(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:ANONYMOUS",
                "allow.everyone.if.no.acl.found", "false"), List.of(Listener.of(SECURE, "SASL_SSL", Map.of(
                        "listener.name.secure.sasl.enabled.mechanisms", "SCRAM-SHA-512",
                        "listener.name.secure.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                        "listener.name.secure.ssl.keystore.location", certificates.keystore().toString(),
                        "listener.name.secure.ssl.keystore.password", certificates.password(),
                        "listener.name.secure.ssl.key.password", certificates.password(),
                        "listener.name.secure.ssl.keystore.type", "PKCS12"))));
        try (Admin admin = Admin.create(KafkaSettings.bootstrap(broker.bootstrapServers()).admin("set-up"))) {
            new TopicProvisioner(admin, TOPICS, TopicProvisioner.Layout.SINGLE_BROKER).provision(REGIONS);
            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            for (String user : List.of(agent("us"), agent("eu"), "meshpilot-control-plane")) {
                users.add(new UserScramCredentialUpsertion(user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password(user)));
            }
            admin.alterUserScramCredentials(List.copyOf(users)).all().get(30, TimeUnit.SECONDS);
            List<AclBinding> acls = new ArrayList<>();
            for (String region : REGIONS) {
                acls.addAll(DocumentedAcls.of("User:meshpilot-agent-<region>", "User:" + agent(region),
                        List.of(region)));
            }
            acls.addAll(DocumentedAcls.of("User:meshpilot-control-plane", "User:meshpilot-control-plane", REGIONS));
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anAgentWritesItsOwnHealthHeartbeatAndStatusAndNothingElse() {
        KafkaSettings us = settings(agent("us"), password(agent("us")));
        await("the agent's credentials and ACLs to take effect").atMost(WAIT)
                .untilAsserted(() -> assertThat(send(us, TOPICS.health("us"))).isNull());

        for (String allowed : List.of(TOPICS.heartbeat("us"), TOPICS.status("us"), TOPICS.deadLetter())) {
            assertThat(send(us, allowed)).as("writing %s", allowed).isNull();
        }
        for (String denied : List.of(TOPICS.directives("us"), TOPICS.policies(), TOPICS.health("eu"),
                TOPICS.directives("eu"), TOPICS.policyStatus())) {
            assertThat(send(us, denied)).as("writing %s", denied).hasRootCauseInstanceOf(
                    TopicAuthorizationException.class);
        }
    }

    @Test
    void anAgentReadsOnlyItsOwnDirectives() {
        KafkaSettings us = settings(agent("us"), password(agent("us")));

        await("reading us directives").atMost(WAIT).untilAsserted(() ->
                assertThat(read(us, TOPICS.directives("us"))).isNull());
        assertThat(read(us, TOPICS.directives("eu"))).isInstanceOf(TopicAuthorizationException.class);
        assertThat(read(us, TOPICS.policies())).isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void theAgentAndTheControlPlaneWorkUnderTheirAclsAndAForgedRecordIsDeadLettered() throws IOException {
        RealApiServer apiServer = RealRegions.acquire("us", 1);
        try (var client = apiServer.newClient()) {
            var agentAccount = apiServer.clientConfig(AgentIdentity.install(client));
            WalkthroughWorkload.seed(client, "us", 2);
            try (ControlPlane controlPlane = ControlPlane.start(ControlPlaneSettings.of(settings(
                    "meshpilot-control-plane", password("meshpilot-control-plane")), TOPICS, "cp-0"),
                    Clock.systemUTC());
                    RegionAgent agent = RegionAgent.start(AgentSettings.of("us", "agent-us-0", TOPICS,
                            settings(agent("us"), password(agent("us"))), agentAccount)
                            .withLeadership(AgentSettings.Leadership.fast(AgentIdentity.NAMESPACE))
                            .withHttp(AgentSettings.Http.LOOPBACK), Clock.systemUTC())) {
                await("hello-world annotated through the locked-down Kafka").atMost(WAIT).untilAsserted(() ->
                        assertThat(annotations(client)).containsEntry("service.cilium.io/global", "true"));

                ServiceHealth forged = new ServiceHealth("eu", "default", "hello-world",
                        new EndpointCounts(0, 0, 0, 0, 2), Instant.now(), "agent-us-0");
                assertThat(send(settings(agent("us"), password(agent("us"))), TOPICS.health("us"),
                        "default/hello-world", RecordCodec.get().encode(forged))).isNull();

                await("the forged record dead-lettered").atMost(WAIT).untilAsserted(() -> assertThat(MetricsPage
                        .scrape(controlPlane.httpPort()).value("meshpilot_records_dead_lettered_total{reason="
                                + "\"region-mismatch\",topic=\"health\"}")).isEqualTo(1));
                assertThat(annotations(client)).containsEntry("service.cilium.io/affinity", "local");
            }
        }
    }

    @Test
    void wrongCredentialsFailAtStartWithAClearError() {
        KafkaSettings wrong = settings(agent("us"), "not-the-password");
        RealApiServer apiServer = RealRegions.acquire("us", 1);
        assertThatThrownBy(() -> RegionAgent.start(AgentSettings.of("us", "agent-us-0", TOPICS, wrong,
                apiServer.clientConfig()), Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Kafka rejected this component's credentials")
                .hasMessageContaining("Authentication failed");
        assertThatThrownBy(() -> ControlPlane.start(ControlPlaneSettings.of(settings("meshpilot-control-plane",
                "wrong"), TOPICS, "cp-0"), Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Kafka rejected this component's credentials");
    }

    private static Map<String, String> annotations(io.fabric8.kubernetes.client.KubernetesClient client) {
        var service = client.services().inNamespace("default").withName("hello-world").get();
        return service.getMetadata().getAnnotations() == null ? Map.of() : service.getMetadata().getAnnotations();
    }

    /** A client properties file as an operator would write it for --kafka-config, loaded the same way. */
    private static KafkaSettings settings(String user, String password) {
        Path file = directory.resolve(user + "-" + Math.abs(password.hashCode()) + ".properties");
        try {
            Files.writeString(file, String.join("\n",
                    "security.protocol=SASL_SSL",
                    "sasl.mechanism=SCRAM-SHA-512",
                    "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                            + user + "\" password=\"" + password + "\";",
                    "ssl.truststore.location=" + certificates.truststore(),
                    "ssl.truststore.password=" + certificates.password(),
                    "ssl.truststore.type=PKCS12", ""));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return KafkaSettings.load(Optional.of(file), Optional.of(broker.bootstrapServers(SECURE)));
    }

    /** Sends one record; returns the failure, or null when Kafka acknowledged it. */
    private static Throwable send(KafkaSettings settings, String topic) {
        return send(settings, topic, "default/probe", "{}".getBytes());
    }

    private static Throwable send(KafkaSettings settings, String topic, String key, byte[] value) {
        Map<String, Object> config = new java.util.HashMap<>(settings.producer("security-test"));
        config.put("max.block.ms", 5_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            return catchThrowable(() -> producer.send(new ProducerRecord<>(topic, key, value))
                    .get(20, TimeUnit.SECONDS));
        }
    }

    /** Reads partition 0 of a topic once; returns the failure, or null when Kafka let it. */
    private static Throwable read(KafkaSettings settings, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings.consumer("security-test",
                Optional.empty()))) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            return catchThrowable(() -> consumer.poll(Duration.ofSeconds(2)));
        }
    }

    private static String agent(String region) {
        return "meshpilot-agent-" + region;
    }

    private static String password(String user) {
        return user + "-secret";
    }
}
