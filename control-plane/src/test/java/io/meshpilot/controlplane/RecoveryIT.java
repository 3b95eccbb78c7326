package io.meshpilot.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.schemas.PolicyStatus;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.BrokerLink;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.MetricsPage;
import io.meshpilot.testing.TopicReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, point 2: a replica whose producer cannot go on is not the end of it. It joins again in place, rebuilds
 * its decisions from the topics and publishes what it owes; nothing an aborted transaction carried is lost, and
 * {@code /healthz} says the replica is alive throughout. A second replica with the same id is refused at start.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RecoveryIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aBrokerOutageLongerThanTheTransactionTimeoutIsSurvivedInPlaceAndNothingIsLost(EmbeddedKafkaBroker kafka,
            BrokerLink link, Topics topics, @TempDir Path dir) throws IOException {
        try (Regions regions = new Regions(kafka, topics, "us", "eu");
             TopicReader directives = regions.reader(topics.directives("us"));
             TopicReader statuses = regions.reader(topics.policyStatus());
             TopicReader letters = regions.reader(topics.deadLetter());
             Admin admin = Admin.create(regions.settings.admin("test"))) {
            ControlPlane controlPlane = startThrough(regions, link, dir, "cp-0");
            regions.keepHeartbeating("us", "eu");
            regions.health("us", Regions.READY);
            regions.health("eu", Regions.READY);
            await().atMost(WAIT).until(() -> directives.latest(Regions.KEY, ServiceDirective.class).isPresent());
            String transactionalId = topics.prefix() + ".control-plane-cp-0";

            try {
                cutWhileATransactionIsOpen(regions, link, admin, transactionalId);
                awaitState(admin, transactionalId, TransactionState.COMPLETE_ABORT);
            } finally {
                link.restore(); // the link is shared: a failure here must not cut off the cases after it
            }
            regions.health("eu", Regions.READY);
            regions.health("us", Regions.NONE_READY);

            await().atMost(WAIT).untilAsserted(() -> assertThat(directives.latest(Regions.KEY,
                    ServiceDirective.class)).get().extracting(ServiceDirective::reason).isEqualTo("local-degraded"));
            assertThat(MetricsPage.get(controlPlane.httpPort(), "/healthz").statusCode()).isEqualTo(200);
            await().atMost(WAIT).until(() -> MetricsPage.get(controlPlane.httpPort(), "/readyz").statusCode() == 200);
            await().atMost(WAIT).untilAsserted(() -> {
                List<PolicyStatus> answers = statuses.documents(PolicyStatus.class);
                assertThat(answers).as("every policy record written around the outage answered")
                        .extracting(PolicyStatus::scope).contains("default/hello-world");
                assertThat(letters.poll().stream().map(ConsumerRecord::key)).contains("default/garbage");
            });
        }
    }

    @Test
    void aMembershipThatExpiresDuringAnOutageIsTakenAgainAndWhatChangedMeanwhileIsDecided(EmbeddedKafkaBroker kafka,
            BrokerLink link, Topics topics, @TempDir Path dir) throws IOException {
        try (Regions regions = new Regions(kafka, topics, "us", "eu");
             TopicReader directives = regions.reader(topics.directives("us"));
             Admin admin = Admin.create(regions.settings.admin("test"))) {
            ControlPlane controlPlane = startThrough(regions, link, dir, "cp-0",
                    "session.timeout.ms=6000\nheartbeat.interval.ms=1000\n");
            regions.keepHeartbeating("us", "eu");
            regions.health("us", Regions.READY);
            regions.health("eu", Regions.READY);
            await().atMost(WAIT).until(() -> directives.latest(Regions.KEY, ServiceDirective.class).isPresent());

            try {
                link.cut();
                regions.health("us", Regions.NONE_READY);
                String group = topics.prefix() + ".control-plane";
                await().atMost(WAIT).until(() -> members(admin, group) == 0);
            } finally {
                link.restore();
            }

            await().atMost(WAIT).untilAsserted(() -> assertThat(directives.latest(Regions.KEY,
                    ServiceDirective.class)).get().extracting(ServiceDirective::reason).isEqualTo("local-degraded"));
            await().atMost(WAIT).until(() -> MetricsPage.get(controlPlane.httpPort(), "/readyz").statusCode() == 200);
            assertThat(MetricsPage.get(controlPlane.httpPort(), "/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aFencedProducerIsReplacedAndTheReplicaGoesOnDeciding(EmbeddedKafkaBroker kafka, Topics topics) {
        try (Regions regions = new Regions(kafka, topics, "us", "eu");
             TopicReader directives = regions.reader(topics.directives("us"))) {
            ControlPlane controlPlane = regions.startControlPlane("cp-0");
            regions.keepHeartbeating("us", "eu");
            regions.health("us", Regions.READY);
            regions.health("eu", Regions.READY);
            await().atMost(WAIT).until(() -> directives.latest(Regions.KEY, ServiceDirective.class).isPresent());

            try (KafkaProducer<String, byte[]> usurper = transactional(regions.settings,
                    topics.prefix() + ".control-plane-cp-0")) {
                regions.health("us", Regions.NONE_READY);

                await().atMost(WAIT).untilAsserted(() -> assertThat(directives.latest(Regions.KEY,
                        ServiceDirective.class)).get().extracting(ServiceDirective::reason)
                        .isEqualTo("local-degraded"));
            }
            MetricsPage page = MetricsPage.scrape(controlPlane.httpPort());
            assertThat(page.value("meshpilot_control_plane_recoveries_total")).isGreaterThanOrEqualTo(1);
            assertThat(MetricsPage.get(controlPlane.httpPort(), "/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aSecondReplicaWithTheSameIdIsRefusedAtStart(EmbeddedKafkaBroker kafka, Topics topics) {
        try (Regions regions = new Regions(kafka, topics, "us")) {
            ControlPlane first = regions.startControlPlane("cp-0");
            await().atMost(WAIT).until(() -> MetricsPage.get(first.httpPort(), "/readyz").statusCode() == 200);

            assertThatThrownBy(() -> regions.startControlPlane("cp-0"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("--replica-id cp-0").hasMessageContaining("its own id");
            assertThat(MetricsPage.get(first.httpPort(), "/healthz").statusCode()).isEqualTo(200);
        }
    }

    /**
     * Cuts the control plane off while it has a transaction open at the coordinator: the producer is held (by
     * {@link HoldingInterceptor}) after the first record of a transaction is on its way; once it is held there and the
     * coordinator says the transaction is ongoing the link is cut and the producer let go. (Seen ongoing before the
     * hold, it may be another transaction, such as the dead letter's, which commits before the cut.) Just before, a policy and a malformed record
     * arrive, so the transaction that aborts may carry their answers.
     */
    private static void cutWhileATransactionIsOpen(Regions regions, BrokerLink link, Admin admin,
            String transactionalId) {
        regions.policy("default/hello-world", new io.meshpilot.schemas.TrafficPolicy("default/hello-world",
                io.meshpilot.schemas.PolicyMode.AUTO, 2, null, null, null, null, null, null, null));
        regions.send(new ProducerRecord<>(regions.topics.health("us"), "default/garbage",
                "{oops".getBytes(StandardCharsets.UTF_8)));
        HoldingInterceptor.arm();
        try {
            regions.health("us", Regions.NONE_READY);
            regions.health("eu", Regions.NONE_READY);
            await().atMost(WAIT).until(HoldingInterceptor::holding);
            awaitState(admin, transactionalId, TransactionState.ONGOING);
            link.cut();
        } finally {
            HoldingInterceptor.release();
        }
    }

    private static TransactionState state(Admin admin, String transactionalId) {
        try {
            TransactionDescription description = admin.describeTransactions(List.of(transactionalId))
                    .description(transactionalId).get(10, TimeUnit.SECONDS);
            return description.state();
        } catch (Exception e) {
            return TransactionState.UNKNOWN;
        }
    }

    /** Waits for the coordinator to hold the transaction in that state; a failure lists the states it went through. */
    private static void awaitState(Admin admin, String transactionalId, TransactionState wanted) {
        Deque<TransactionState> seen = new ConcurrentLinkedDeque<>();
        await().atMost(WAIT).untilAsserted(() -> {
            TransactionState now = state(admin, transactionalId);
            if (seen.isEmpty() || seen.peekLast() != now) {
                seen.add(now);
            }
            assertThat(now).as("the transaction's states at the coordinator so far: %s", seen).isEqualTo(wanted);
        });
    }

    private static int members(Admin admin, String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get().members().size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static ControlPlane startThrough(Regions regions, BrokerLink link, Path dir, String replicaId)
            throws IOException {
        return startThrough(regions, link, dir, replicaId, "");
    }

    private static ControlPlane startThrough(Regions regions, BrokerLink link, Path dir, String replicaId,
            String moreProperties) throws IOException {
        Path properties = dir.resolve("kafka.properties");
        Files.writeString(properties, "bootstrap.servers=" + link.bootstrapServers() + "\n"
                + "transaction.timeout.ms=2000\n"
                + "interceptor.classes=" + HoldingInterceptor.class.getName() + "\n" + moreProperties);
        KafkaSettings settings = KafkaSettings.load(Optional.of(properties), Optional.empty());
        return regions.startControlPlane(replicaId, adjusted -> new ControlPlaneSettings(settings, adjusted.topics(),
                adjusted.groupId(), replicaId, adjusted.regionDiscoveryInterval(), adjusted.httpHost(),
                adjusted.httpPort(), false));
    }

    private static KafkaProducer<String, byte[]> transactional(KafkaSettings settings, String transactionalId) {
        Map<String, Object> config = new java.util.HashMap<>(settings.producer("usurper"));
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config);
        producer.initTransactions();
        return producer;
    }
}
