package io.meshpilot.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaAdapterIT {

    @Test
    void provisionsTheSpecTopicsOnceWithTheirCleanupPolicies(EmbeddedKafkaBroker kafka, Topics topics)
            throws Exception {
        KafkaSettings settings = KafkaSettings.bootstrap(kafka.bootstrapServers());
        try (Admin admin = Admin.create(settings.admin("test"))) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, topics, new TopicProvisioner.Layout(3, (short) 1));

            List<String> created = provisioner.provision(List.of("us", "eu"));
            List<String> again = provisioner.provision(List.of("us", "eu"));

            assertThat(created).hasSize(14).contains(topics.health("us"), topics.directives("eu"),
                    topics.policies(), topics.practiceRuns(), topics.practiceStatus(), topics.deadLetter());
            assertThat(again).isEmpty();
            assertThat(cleanupPolicy(admin, topics.health("us"))).isEqualTo("compact");
            assertThat(cleanupPolicy(admin, topics.decisions())).isEqualTo("delete");
            assertThat(cleanupPolicy(admin, topics.practiceStatus())).isEqualTo("compact");
            assertThat(admin.describeTopics(List.of(topics.status("eu"))).allTopicNames().get()
                    .get(topics.status("eu")).partitions()).hasSize(3);
        }
    }

    @Test
    void sendsDocumentsAndPollsThemBackInOrderOneBatchAtATime(EmbeddedKafkaBroker kafka, Topics topics)
            throws Exception {
        KafkaSettings settings = KafkaSettings.bootstrap(kafka.bootstrapServers());
        provision(settings, topics);
        List<String> agents = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> firstBatchDone = new CompletableFuture<>();

        try (RecordSender sender = new RecordSender(settings.producer("test"), "test");
             RecordPoller poller = new RecordPoller("test", settings.consumer("test", Optional.empty()),
                     Subscriptions.wholeTopicFromBeginning(topics.heartbeat("us")),
                     records -> {
                         records.forEach(record -> agents.add(decode(record).agentId()));
                         return agents.size() < 3 ? firstBatchDone : CompletableFuture.completedFuture(null);
                     }).start()) {
            for (int i = 1; i <= 3; i++) {
                sender.send(topics.heartbeat("us"), "agent-" + i, heartbeat("agent-" + i))
                        .toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !agents.isEmpty());
            firstBatchDone.complete(null);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(agents).containsExactly("agent-1", "agent-2", "agent-3"));
        }
    }

    @Test
    void aMemberThrownOutOfItsGroupReadsOnFromWhereItWasNotFromTheBeginning(EmbeddedKafkaBroker kafka,
            Topics topics) throws Exception {
        readsEveryRecordOnceAcross(kafka, topics, (admin, group) -> {
            String member = onlyMember(admin, group);
            admin.removeMembersFromConsumerGroup(group,
                    new org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions()).all()
                    .get(30, TimeUnit.SECONDS);
            await("the consumer to lose its partitions and join again").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        String now = onlyMember(admin, group);
                        return now != null && !now.equals(member);
                    });
            return () -> { };
        });
    }

    /** A cooperative rebalance that gives a member nothing new calls it back with no partitions. */
    @Test
    void aRebalanceThatAddsNothingReadsNothingAgain(EmbeddedKafkaBroker kafka, Topics topics) throws Exception {
        readsEveryRecordOnceAcross(kafka, topics, (admin, group) -> {
            org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> other =
                    new org.apache.kafka.clients.consumer.KafkaConsumer<>(observerConfig(kafka, group));
            other.subscribe(List.of(topics.heartbeat("us")));
            await("a second member to join, the group stable again").atMost(Duration.ofSeconds(60)).until(() -> {
                other.poll(Duration.ofMillis(100));
                var described = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS)
                        .get(group);
                return described.members().size() == 2
                        && described.groupState() == org.apache.kafka.common.GroupState.STABLE;
            });
            return other::close;
        });
    }

    /** An observer reads three records, the group is disturbed, it reads a fourth: each exactly once. */
    private void readsEveryRecordOnceAcross(EmbeddedKafkaBroker kafka, Topics topics, Disturbance disturbance)
            throws Exception {
        KafkaSettings settings = KafkaSettings.bootstrap(kafka.bootstrapServers());
        provision(settings, topics);
        String group = topics.heartbeat("us") + ".observer";
        List<String> handled = new CopyOnWriteArrayList<>();
        try (Admin admin = Admin.create(settings.admin("test"));
             RecordSender sender = new RecordSender(settings.producer("test"), "test");
             RecordPoller poller = new RecordPoller("test", observerConfig(kafka, group),
                     Subscriptions.everythingMatching(java.util.regex.Pattern.compile(
                             java.util.regex.Pattern.quote(topics.heartbeat("us")))),
                     records -> {
                         records.forEach(record -> handled.add(decode(record).agentId()));
                         return CompletableFuture.completedFuture(null);
                     }).start()) {
            for (int i = 1; i <= 3; i++) {
                sender.send(topics.heartbeat("us"), "agent-" + i, heartbeat("agent-" + i))
                        .toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 3);

            AutoCloseable after = disturbance.apply(admin, group);
            sender.send(topics.heartbeat("us"), "agent-4", heartbeat("agent-4")).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(30)).until(() -> handled.contains("agent-4"));
            assertThat(handled).as("nothing read twice").containsExactly("agent-1", "agent-2", "agent-3", "agent-4");
            after.close();
        }
    }

    private interface Disturbance {
        AutoCloseable apply(Admin admin, String group) throws Exception;
    }

    /** The control plane observer's settings: a group of its own, the cooperative assignor. */
    private static Map<String, Object> observerConfig(EmbeddedKafkaBroker kafka, String group) {
        Map<String, Object> consumer = new java.util.HashMap<>(KafkaSettings.bootstrap(kafka.bootstrapServers())
                .consumer("test", Optional.of(group)));
        consumer.put(org.apache.kafka.clients.consumer.ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        return consumer;
    }

    /** The group's one member with partitions, if it has one now. */
    private static String onlyMember(Admin admin, String group) throws Exception {
        var members = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group)
                .members().stream().filter(member -> !member.assignment().topicPartitions().isEmpty()).toList();
        return members.size() == 1 ? members.get(0).consumerId() : null;
    }

    @Test
    void aHandlerThatThrowsStopsThePollerForGoodInsteadOfSkippingItsBatch(EmbeddedKafkaBroker kafka, Topics topics)
            throws Exception {
        KafkaSettings settings = KafkaSettings.bootstrap(kafka.bootstrapServers());
        provision(settings, topics);
        List<String> handled = new CopyOnWriteArrayList<>();
        List<String> told = new CopyOnWriteArrayList<>();

        try (RecordSender sender = new RecordSender(settings.producer("test"), "test");
             RecordPoller poller = new RecordPoller("test", settings.consumer("test", Optional.empty()),
                     Subscriptions.wholeTopicFromBeginning(topics.heartbeat("us")),
                     records -> {
                         records.forEach(record -> {
                             String agent = decode(record).agentId();
                             if (agent.equals("agent-2")) {
                                 throw new IllegalStateException("cannot handle " + agent);
                             }
                             handled.add(agent);
                         });
                         return CompletableFuture.completedFuture(null);
                     }).onFailure(told::add).start()) {
            for (int i = 1; i <= 3; i++) {
                sender.send(topics.heartbeat("us"), "agent-" + i, heartbeat("agent-" + i))
                        .toCompletableFuture().get(30, TimeUnit.SECONDS);
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> poller.failure().isPresent());
            assertThat(poller.failure()).get().asString().contains("cannot handle agent-2");
            assertThat(told).singleElement().asString().contains("cannot handle agent-2");
            assertThat(handled).doesNotContain("agent-3");
        }
    }

    @Test
    void deadLettersKeepTheOriginalBytesAndSayWhy(EmbeddedKafkaBroker kafka, Topics topics) throws Exception {
        KafkaSettings settings = KafkaSettings.bootstrap(kafka.bootstrapServers());
        provision(settings, topics);
        List<ConsumerRecord<String, byte[]>> letters = new CopyOnWriteArrayList<>();
        ConsumerRecord<String, byte[]> original = new ConsumerRecord<>(topics.health("us"), 2, 41, "default/x",
                "{oops".getBytes(StandardCharsets.UTF_8));

        try (RecordSender sender = new RecordSender(settings.producer("test"), "test");
             RecordPoller poller = new RecordPoller("test", settings.consumer("test", Optional.empty()),
                     Subscriptions.wholeTopicFromBeginning(topics.deadLetter()),
                     records -> {
                         records.forEach(letters::add);
                         return CompletableFuture.completedFuture(null);
                     }).start()) {
            RecordMetrics metrics = new RecordMetrics(new PrometheusRegistry(), topics);
            new DeadLetters(sender, topics, "control-plane", metrics)
                    .send(original, DeadLetters.Cause.INVALID, "$: is not valid JSON")
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(30)).until(() -> !letters.isEmpty());
        }
        ConsumerRecord<String, byte[]> letter = letters.get(0);
        assertThat(letter.key()).isEqualTo("default/x");
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("{oops");
        assertThat(header(letter, DeadLetters.ERROR_HEADER)).isEqualTo("$: is not valid JSON");
        assertThat(header(letter, DeadLetters.SOURCE_HEADER)).isEqualTo(topics.health("us") + "/2@41");
        assertThat(header(letter, DeadLetters.COMPONENT_HEADER)).isEqualTo("control-plane");
    }

    private static void provision(KafkaSettings settings, Topics topics) {
        try (Admin admin = Admin.create(settings.admin("test"))) {
            new TopicProvisioner(admin, topics, new TopicProvisioner.Layout(1, (short) 1)).provision(List.of("us"));
        }
    }

    private static String cleanupPolicy(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(resource)).all().get();
        return configs.get(resource).get("cleanup.policy").value();
    }

    private static AgentHeartbeat heartbeat(String agentId) {
        return new AgentHeartbeat("us", agentId, "0.1.0", Instant.parse("2026-11-25T00:00:00Z"), 1, true);
    }

    private static AgentHeartbeat decode(ConsumerRecord<String, byte[]> record) {
        return ((Decoded.Valid<AgentHeartbeat>) RecordCodec.get().decode(record.value(), AgentHeartbeat.class))
                .record();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
