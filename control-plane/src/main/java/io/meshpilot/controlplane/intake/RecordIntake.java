package io.meshpilot.controlplane.intake;

import io.meshpilot.controlplane.ControlPlaneMetrics;
import io.meshpilot.controlplane.decisions.DecisionLoop;
import io.meshpilot.controlplane.decisions.Outbox;
import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.controlplane.policy.PolicyStatuses;
import io.meshpilot.controlplane.policy.PolicyWarnings;
import io.meshpilot.controlplane.policy.PolicyValidator;
import io.meshpilot.controlplane.policy.PolicyVerdict;
import io.meshpilot.controlplane.world.RegionLiveness;
import io.meshpilot.controlplane.world.WorldModel;
import io.meshpilot.kafka.DeadLetters;
import io.meshpilot.kafka.DeadLetters.Cause;
import io.meshpilot.kafka.RecordMetrics;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.MeshRecord;
import io.meshpilot.schemas.PolicyStatus;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.schemas.Topics;
import io.meshpilot.schemas.Topics.RegionTopic;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every record this replica reads, on the event loop: health, directives and statuses of every region into the world
 * model, heartbeats into the regions' liveness, policies into the policy book, each telling the decision loop what
 * changed. A health, status or heartbeat record that does not decode, has a bad key, or names another region than its
 * topic is dead-lettered by the replica that owns its partition (once, through the outbox's transaction).
 */
public final class RecordIntake {

    private static final Logger LOG = LoggerFactory.getLogger(RecordIntake.class);

    private final Topics topics;
    private final WorldModel world;
    private final RegionLiveness liveness;
    private final PolicyBook policies;
    private final PolicyStatuses statuses;
    private final DecisionLoop decisions;
    private final Outbox outbox;
    private final ControlPlaneMetrics metrics;
    private final RecordMetrics recordMetrics;
    private final Clock clock;
    private final PolicyValidator validator = new PolicyValidator();
    private final Map<Integer, Deque<Outbox.Entry>> unowned = new HashMap<>();
    private final RecordCodec codec = RecordCodec.get();

    public RecordIntake(Topics topics, WorldModel world, RegionLiveness liveness, PolicyBook policies,
            PolicyStatuses statuses, DecisionLoop decisions, Outbox outbox, ControlPlaneMetrics metrics,
            RecordMetrics recordMetrics, Clock clock) {
        this.topics = topics;
        this.world = world;
        this.liveness = liveness;
        this.policies = policies;
        this.statuses = statuses;
        this.decisions = decisions;
        this.outbox = outbox;
        this.metrics = metrics;
        this.recordMetrics = recordMetrics;
        this.clock = clock;
        decisions.onOwned(this::owned);
    }

    /**
     * Dead letters of records read while no replica here owned their partition are kept (the last
     * {@value #KEPT_PER_PARTITION} per partition) and sent when this replica takes the partition: a record may then be
     * dead-lettered twice (by the previous owner too), never not at all.
     */
    private void owned(int partition) {
        Deque<Outbox.Entry> kept = unowned.remove(partition);
        if (kept != null) {
            kept.forEach(outbox::add);
        }
    }

    private static final int KEPT_PER_PARTITION = 1000;

    public void accept(ConsumerRecord<String, byte[]> record) {
        Optional<RegionTopic> regionTopic = topics.parse(record.topic());
        if (regionTopic.isPresent()) {
            world.addRegion(regionTopic.get().region());
            switch (regionTopic.get().role()) {
                case HEALTH -> health(record, regionTopic.get().region());
                case STATUS -> status(record, regionTopic.get().region());
                case DIRECTIVES -> directive(record, regionTopic.get().region());
                case HEARTBEAT -> heartbeat(record, regionTopic.get().region());
                default -> throw new IllegalStateException("unknown role " + regionTopic.get().role());
            }
        } else if (record.topic().equals(topics.policies())) {
            policy(record);
        } else if (record.topic().equals(topics.policyStatus()) && record.value() != null
                && codec.decode(record.value(), PolicyStatus.class) instanceof Decoded.Valid<PolicyStatus> valid) {
            statuses.answered(valid.record());
        }
    }

    private void health(ConsumerRecord<String, byte[]> record, String region) {
        Optional<ServiceKey> key = key(record);
        if (key.isEmpty()) {
            return;
        }
        if (record.value() == null) {
            world.health(key.get(), region, record.partition(), null);
            decisions.changed(key.get());
            return;
        }
        decode(record, ServiceHealth.class).filter(health -> belongs(record, region, health.region(),
                health.key(), key.get())).ifPresent(health -> {
                    world.health(key.get(), region, record.partition(), health);
                    decisions.changed(key.get());
                });
    }

    private void status(ConsumerRecord<String, byte[]> record, String region) {
        Optional<ServiceKey> key = key(record);
        if (key.isEmpty()) {
            return;
        }
        if (record.value() == null) {
            world.status(key.get(), region, record.partition(), null);
            return;
        }
        decode(record, DirectiveStatus.class).filter(status -> belongs(record, region, status.region(),
                status.key(), key.get()))
                .ifPresent(status -> {
                    world.status(key.get(), region, record.partition(), status);
                    decisions.changed(key.get());
                });
    }

    private void directive(ConsumerRecord<String, byte[]> record, String region) {
        Optional<ServiceKey> key = ServiceKey.parse(record.key());
        if (key.isEmpty()) {
            return;
        }
        if (record.value() == null) {
            world.directive(key.get(), region, record.partition(), null);
            decisions.observedWithdrawal(key.get(), region);
        } else if (codec.decode(record.value(), ServiceDirective.class) instanceof Decoded.Valid<ServiceDirective> v
                && v.record().region().equals(region)) {
            world.directive(key.get(), region, record.partition(), v.record());
            decisions.observed(v.record());
        }
    }

    private void heartbeat(ConsumerRecord<String, byte[]> record, String region) {
        if (record.value() == null) {
            return;
        }
        decode(record, AgentHeartbeat.class).ifPresent(heartbeat -> {
            if (!heartbeat.region().equals(region)) {
                deadLetter(record, Cause.REGION_MISMATCH, "region '" + heartbeat.region()
                        + "' does not match the topic's region '" + region + "'");
                return;
            }
            decisions.heard(region, liveness.heard(heartbeat, clock.instant()));
        });
    }

    private void policy(ConsumerRecord<String, byte[]> record) {
        String scope = record.key() == null ? "" : record.key();
        if (record.value() == null) {
            policies.delete(scope);
            statuses.deleted(scope);
            metrics.policy("deleted");
            decisions.policyChanged(scope);
            return;
        }
        PolicyVerdict verdict = validator.judge(scope, record.value(), world.regions());
        if (verdict instanceof PolicyVerdict.Accepted accepted) {
            policies.accept(scope, accepted.policy(), accepted.expiresAt());
            metrics.policy("accepted");
            List<String> warnings = PolicyWarnings.of(scope, policies, world);
            statuses.judged(scope, record.partition(), record.offset(), List.of(), warnings);
            LOG.atInfo().addKeyValue("scope", scope).addKeyValue("policy", accepted.policy()).log("policy accepted");
            warnings.forEach(warning -> LOG.atWarn().addKeyValue("scope", scope).log(warning));
            decisions.policyChanged(scope);
        } else if (verdict instanceof PolicyVerdict.Rejected rejected) {
            metrics.policy("rejected");
            statuses.judged(scope, record.partition(), record.offset(), rejected.errors());
            LOG.atWarn().addKeyValue("scope", scope).addKeyValue("errors", rejected.errors())
                    .log("policy rejected; the last accepted one stays in force");
        }
    }

    private Optional<ServiceKey> key(ConsumerRecord<String, byte[]> record) {
        Optional<ServiceKey> key = ServiceKey.parse(record.key());
        if (key.isEmpty()) {
            deadLetter(record, Cause.BAD_KEY, "key '" + record.key() + "' is not <namespace>/<service>");
        }
        return key;
    }

    private <T extends MeshRecord> Optional<T> decode(ConsumerRecord<String, byte[]> record, Class<T> kind) {
        Decoded<T> decoded = codec.decode(record.value(), kind);
        if (decoded instanceof Decoded.Invalid<T> invalid) {
            deadLetter(record, Cause.INVALID, invalid.summary());
            return Optional.empty();
        }
        return Optional.of(((Decoded.Valid<T>) decoded).record());
    }

    /** Whether a document's region and Service are those of its topic and key; dead-letters it if not. */
    private boolean belongs(ConsumerRecord<String, byte[]> record, String topicRegion, String region,
            ServiceKey service, ServiceKey key) {
        if (!region.equals(topicRegion)) {
            deadLetter(record, Cause.REGION_MISMATCH, "region '" + region + "' does not match the topic's region '"
                    + topicRegion + "'");
            return false;
        }
        if (!service.equals(key)) {
            deadLetter(record, Cause.REGION_MISMATCH, "Service " + service + " does not match the record key " + key);
            return false;
        }
        return true;
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, Cause cause, String reason) {
        Outbox.Entry letter = Outbox.Entry.of(DeadLetters.letter(topics, "control-plane",
                record.topic() + "/" + record.partition() + "@" + record.offset(), record.key(), record.value(),
                reason));
        if (decisions.owns(record.partition())) {
            recordMetrics.deadLettered(record.topic(), cause);
            outbox.add(letter);
            return;
        }
        Deque<Outbox.Entry> kept = unowned.computeIfAbsent(record.partition(), partition -> new ArrayDeque<>());
        kept.addLast(letter);
        if (kept.size() > KEPT_PER_PARTITION) {
            kept.removeFirst();
        }
    }
}
