package io.meshpilot.reliability.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.meshpilot.controlplane.ControlPlane;
import io.meshpilot.controlplane.ControlPlaneSettings;
import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.kafka.KafkaSettings;
import io.meshpilot.kafka.RecordSender;
import io.meshpilot.kafka.TopicProvisioner;
import io.meshpilot.runtime.Await;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.EndpointCounts;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.KafkaBrokerExtension;
import io.meshpilot.testing.MetricsPage;
import io.meshpilot.testing.TopicReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The limits: records over the size limit are refused or dead-lettered, and a burst of 100,000 health events for
 * 10,000 Services is absorbed with back-pressure (the poll thread waits for the decision loop) and ends in the right
 * directive for every Service, the control plane ready throughout. It prints what it measured.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LimitsIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final List<String> REGIONS = List.of("us", "eu");

    @Test
    void recordsOverTheSizeLimitAreRefusedByKafkaOrDeadLettered(EmbeddedKafkaBroker kafka, Topics topics) {
        provision(kafka, topics);
        try (ControlPlane controlPlane = ControlPlane.start(settings(kafka, topics), Clock.systemUTC());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.bootstrap(
                        kafka.bootstrapServers()).producer("limits"))) {
            Await.result(controlPlane.ready(), WAIT, "the control plane");
            byte[] twoMebibytes = new byte[2 * 1024 * 1024];
            Throwable refused = catchThrowable(() -> producer.send(new ProducerRecord<>(topics.health("us"),
                    "default/big", twoMebibytes)).get(30, TimeUnit.SECONDS));
            assertThat(refused).hasCauseInstanceOf(RecordTooLargeException.class);

            String padding = "x".repeat(900_000);
            byte[] bloated = ("{\"apiVersion\":\"meshpilot.io/v1\",\"kind\":\"ServiceHealth\",\"region\":\"us\","
                    + "\"namespace\":\"default\",\"service\":\"big\",\"endpoints\":{\"ready\":1,\"serving\":1,"
                    + "\"terminating\":0,\"active\":1,\"total\":1},\"observedAt\":\"2026-11-25T12:00:00Z\","
                    + "\"agentId\":\"" + padding + "\"}").getBytes(StandardCharsets.UTF_8);
            Await.result(CompletableFuture.supplyAsync(() -> send(producer, topics.health("us"), "default/big",
                    bloated)), WAIT, "the bloated record");

            await().atMost(WAIT).untilAsserted(() -> assertThat(MetricsPage.scrape(controlPlane.httpPort())
                    .value("meshpilot_records_dead_lettered_total{reason=\"invalid\",topic=\"health\"}"))
                    .isEqualTo(1));
            System.out.printf("[limits] a 2 MiB record: refused by Kafka (%s); a %d-byte health record with a "
                    + "900,000-character agentId: dead-lettered as invalid%n", refused.getCause().getClass()
                    .getSimpleName(), bloated.length);
        }
    }

    @Test
    void aBurstOfHundredThousandHealthEventsIsAbsorbedWithBackPressure(EmbeddedKafkaBroker kafka, Topics topics) {
        int services = Integer.getInteger("limits.services", 10_000);
        int rounds = 10;
        provision(kafka, topics);
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
        try (ControlPlane controlPlane = ControlPlane.start(settings(kafka, topics), Clock.systemUTC());
                RecordSender sender = new RecordSender(KafkaSettings.bootstrap(kafka.bootstrapServers())
                        .producer("limits-agents"), "limits-agents");
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(bulk(kafka))) {
            Await.result(controlPlane.ready(), WAIT, "the control plane");
            heartbeats.scheduleAtFixedRate(() -> REGIONS.forEach(region -> sender.send(topics.heartbeat(region),
                    region, new AgentHeartbeat(region, "agent-" + region, "test", Instant.now(), services, true))),
                    0, 1, TimeUnit.SECONDS);
            for (int i = 0; i < services; i++) {
                producer.send(new ProducerRecord<>(topics.health("eu"), key(i), health("eu", i, 2)));
            }
            producer.flush();
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long start = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < services; i++) {
                    boolean lastRound = round == rounds - 1;
                    int ready = lastRound ? (i % 2 == 0 ? 0 : 2) : 1 + round % 2;
                    producer.send(new ProducerRecord<>(topics.health("us"), key(i), health("us", i, ready)));
                }
            }
            producer.flush();
            double sent = (System.nanoTime() - start) / 1e9;

            long peakHeap = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            Map<String, String> affinity = new HashMap<>();
            try (TopicReader directives = new TopicReader(kafka.bootstrapServers(), topics.directives("us"))) {
                while (!converged(affinity, services) && System.nanoTime() < deadline) {
                    peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
                    assertThat(MetricsPage.get(controlPlane.httpPort(), "/readyz").statusCode()).isEqualTo(200);
                    for (ConsumerRecord<String, byte[]> record : directives.poll()) {
                        if (RecordCodec.get().decode(record.value(), ServiceDirective.class)
                                instanceof Decoded.Valid<ServiceDirective> valid) {
                            affinity.put(record.key(), valid.record().annotations()
                                    .getOrDefault("service.cilium.io/affinity", "none"));
                        }
                    }
                }
            }
            double settled = (System.nanoTime() - start) / 1e9;
            assertThat(converged(affinity, services)).as("every us Service's last directive").isTrue();
            MetricsPage metrics = MetricsPage.scrape(controlPlane.httpPort());
            await().atMost(WAIT).untilAsserted(() -> assertThat(MetricsPage.scrape(controlPlane.httpPort())
                    .sum("meshpilot_consumer_lag_records")).isZero());
            System.out.printf("[limits] %,d health events for %,d us Services written in %.1f s; every directive "
                    + "right %.1f s after the first; %,.0f records read; %,.0f directives published; peak test-JVM "
                    + "heap %d MiB (max %d MiB); consumer lag back to 0%n", services * rounds, services, sent, settled,
                    metrics.sum("meshpilot_records_received_total"),
                    metrics.value("meshpilot_directives_published_total"), peakHeap >> 20,
                    memory.getHeapMemoryUsage().getMax() >> 20);
        } finally {
            heartbeats.shutdownNow();
        }
    }

    private static boolean converged(Map<String, String> affinity, int services) {
        for (int i = 0; i < services; i++) {
            if (!(i % 2 == 0 ? "remote" : "local").equals(affinity.get(key(i)))) {
                return false;
            }
        }
        return true;
    }

    private static Void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
            return null;
        } catch (Exception e) {
            throw new AssertionError("cannot send to " + topic, e);
        }
    }

    private static String key(int index) {
        return "shop/svc-" + index;
    }

    private static byte[] health(String region, int index, int ready) {
        return RecordCodec.get().encode(new ServiceHealth(region, "shop", "svc-" + index,
                new EndpointCounts(ready, ready, 0, ready, 2), Instant.now(), "agent-" + region));
    }

    private static Map<String, Object> bulk(EmbeddedKafkaBroker kafka) {
        Map<String, Object> config = new HashMap<>(KafkaSettings.bootstrap(kafka.bootstrapServers())
                .producer("limits-burst"));
        config.put("linger.ms", 20);
        config.put("batch.size", 512 * 1024);
        return config;
    }

    private static ControlPlaneSettings settings(EmbeddedKafkaBroker kafka, Topics topics) {
        return ControlPlaneSettings.of(KafkaSettings.bootstrap(kafka.bootstrapServers()), topics, "limits-0");
    }

    private static void provision(EmbeddedKafkaBroker kafka, Topics topics) {
        try (Admin admin = Admin.create(KafkaSettings.bootstrap(kafka.bootstrapServers()).admin("limits"))) {
            new TopicProvisioner(admin, topics, TopicProvisioner.Layout.SINGLE_BROKER).provision(REGIONS);
        }
    }
}
