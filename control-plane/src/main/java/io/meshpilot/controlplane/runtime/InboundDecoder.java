package io.meshpilot.controlplane.runtime;

import io.meshpilot.controlplane.shard.Flaw;
import io.meshpilot.controlplane.shard.Inbound;
import io.meshpilot.controlplane.shard.RecordOrigin;
import io.meshpilot.schemas.AgentHeartbeat;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.MeshRecord;
import io.meshpilot.schemas.PolicyStatus;
import io.meshpilot.schemas.PracticeRunStatus;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceHealth;
import io.meshpilot.schemas.ServiceKey;
import io.meshpilot.schemas.Topics;
import io.meshpilot.schemas.Topics.RegionTopic;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a Kafka record into what the shard replays: the topic routed to its kind and region, the key parsed, the
 * value decoded and checked against its topic and key. A health, status or heartbeat record that fails is
 * {@link Inbound.Flawed} (the shard dead-letters it); a directive or policy status that fails is ignored.
 */
public final class InboundDecoder {

    private final Topics topics;
    private final RecordCodec codec = RecordCodec.get();

    public InboundDecoder(Topics topics) {
        this.topics = topics;
    }

    /** Decodes a poll's records, in their order. */
    public List<Inbound> decodeAll(Iterable<ConsumerRecord<String, byte[]>> records) {
        List<Inbound> decoded = new ArrayList<>();
        records.forEach(record -> decoded.add(decode(record)));
        return decoded;
    }

    public Inbound decode(ConsumerRecord<String, byte[]> record) {
        RecordOrigin origin = new RecordOrigin(record.topic(), record.partition(), record.offset());
        Optional<RegionTopic> regionTopic = topics.parse(record.topic());
        if (regionTopic.isPresent()) {
            String region = regionTopic.get().region();
            return switch (regionTopic.get().role()) {
                case HEALTH -> ofService(record, origin, region, ServiceHealth.class, (key, health) ->
                        new Inbound.Health(origin, region, key, health));
                case STATUS -> ofService(record, origin, region, DirectiveStatus.class, (key, status) ->
                        new Inbound.Status(origin, region, key, status));
                case DIRECTIVES -> directive(record, origin, region);
                case HEARTBEAT -> heartbeat(record, origin, region);
            };
        }
        if (record.topic().equals(topics.policies())) {
            return new Inbound.Policy(origin, record.key() == null ? "" : record.key(),
                    Optional.ofNullable(record.value()));
        }
        if (record.topic().equals(topics.policyStatus()) && record.value() != null
                && codec.decode(record.value(), PolicyStatus.class) instanceof Decoded.Valid<PolicyStatus> valid) {
            return new Inbound.PolicyAnswered(origin, valid.record());
        }
        if (record.topic().equals(topics.practiceRuns())) {
            return new Inbound.Practice(origin, record.key() == null ? "" : record.key(),
                    Optional.ofNullable(record.value()));
        }
        if (record.topic().equals(topics.practiceStatus()) && record.value() != null && codec.decode(record.value(),
                PracticeRunStatus.class) instanceof Decoded.Valid<PracticeRunStatus> valid) {
            return new Inbound.PracticeAnswered(origin, valid.record());
        }
        return new Inbound.Ignored(origin);
    }

    private interface Typed<T> {
        Inbound of(ServiceKey key, Optional<T> value);
    }

    private <T extends MeshRecord> Inbound ofService(ConsumerRecord<String, byte[]> record, RecordOrigin origin,
            String region, Class<T> kind, Typed<T> typed) {
        Optional<ServiceKey> key = ServiceKey.parse(record.key());
        if (key.isEmpty()) {
            return flawed(record, origin, region, Flaw.BAD_KEY, "key '" + record.key()
                    + "' is not <namespace>/<service>");
        }
        if (record.value() == null) {
            return typed.of(key.get(), Optional.empty());
        }
        Decoded<T> decoded = codec.decode(record.value(), kind);
        if (decoded instanceof Decoded.Invalid<T> invalid) {
            return flawed(record, origin, region, Flaw.INVALID, invalid.summary());
        }
        T value = ((Decoded.Valid<T>) decoded).record();
        String documentRegion = value instanceof ServiceHealth health ? health.region()
                : ((DirectiveStatus) value).region();
        ServiceKey documentKey = value instanceof ServiceHealth health ? health.key() : ((DirectiveStatus) value).key();
        if (!documentRegion.equals(region)) {
            return flawed(record, origin, region, Flaw.REGION_MISMATCH, "region '" + documentRegion
                    + "' does not match the topic's region '" + region + "'");
        }
        if (!documentKey.equals(key.get())) {
            return flawed(record, origin, region, Flaw.REGION_MISMATCH, "Service " + documentKey
                    + " does not match the record key " + key.get());
        }
        // the document's key: its strings are the codec's shared ones, where the record key's are copies
        return typed.of(documentKey, Optional.of(value));
    }

    private Inbound directive(ConsumerRecord<String, byte[]> record, RecordOrigin origin, String region) {
        Optional<ServiceKey> key = ServiceKey.parse(record.key());
        if (key.isEmpty()) {
            return new Inbound.Ignored(origin);
        }
        if (record.value() == null) {
            return new Inbound.Directive(origin, region, key.get(), Optional.empty());
        }
        if (codec.decode(record.value(), ServiceDirective.class) instanceof Decoded.Valid<ServiceDirective> valid
                && valid.record().region().equals(region)) {
            ServiceKey documentKey = valid.record().key();
            return new Inbound.Directive(origin, region, documentKey.equals(key.get()) ? documentKey : key.get(),
                    Optional.of(valid.record()));
        }
        return new Inbound.Ignored(origin);
    }

    private Inbound heartbeat(ConsumerRecord<String, byte[]> record, RecordOrigin origin, String region) {
        if (record.value() == null) {
            return new Inbound.Ignored(origin);
        }
        Decoded<AgentHeartbeat> decoded = codec.decode(record.value(), AgentHeartbeat.class);
        if (decoded instanceof Decoded.Invalid<AgentHeartbeat> invalid) {
            return flawed(record, origin, region, Flaw.INVALID, invalid.summary());
        }
        AgentHeartbeat heartbeat = ((Decoded.Valid<AgentHeartbeat>) decoded).record();
        if (!heartbeat.region().equals(region)) {
            return flawed(record, origin, region, Flaw.REGION_MISMATCH, "region '" + heartbeat.region()
                    + "' does not match the topic's region '" + region + "'");
        }
        return new Inbound.Heartbeat(origin, region, heartbeat);
    }

    private static Inbound flawed(ConsumerRecord<String, byte[]> record, RecordOrigin origin, String region,
            Flaw flaw, String reason) {
        return new Inbound.Flawed(origin, region, record.key(), record.value(), flaw, reason);
    }
}
