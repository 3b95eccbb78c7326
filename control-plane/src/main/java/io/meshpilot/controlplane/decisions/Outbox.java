package io.meshpilot.controlplane.decisions;

import io.meshpilot.schemas.ServiceDirective;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the event loop decided to publish and the owner's transaction has not taken yet: directives, Decision
 * records, policy statuses and dead letters. The transaction publishes all of it with the consumer's offsets, so a
 * replica that lost its partitions publishes none of it. Confined to the event loop.
 */
public final class Outbox {

    /** A record to publish; a directive's entry remembers it, and when the health that caused it was observed. */
    public record Entry(ProducerRecord<String, byte[]> record, Optional<ServiceDirective> directive,
            Optional<Instant> causedAt) {

        public static Entry of(ProducerRecord<String, byte[]> record) {
            return new Entry(record, Optional.empty(), Optional.empty());
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private Runnable onFirst = () -> { };

    /** Called when the outbox goes from empty to not empty, to wake the publisher. */
    public void onFirstEntry(Runnable wake) {
        this.onFirst = wake;
    }

    public void add(Entry entry) {
        entries.add(entry);
        if (entries.size() == 1) {
            onFirst.run();
        }
    }

    public List<Entry> drain() {
        List<Entry> drained = List.copyOf(entries);
        entries.clear();
        return drained;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
