package io.meshpilot.controlplane.shard;

/** Where a record was read: its topic, partition and offset (what a dead letter names as its source). */
public record RecordOrigin(String topic, int partition, long offset) {

    @Override
    public String toString() {
        return topic + "/" + partition + "@" + offset;
    }
}
