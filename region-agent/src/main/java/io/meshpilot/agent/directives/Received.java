package io.meshpilot.agent.directives;

import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceDirective;

/**
 * A directive as read from the directives topic, with where it came from, for status and dead-lettering. The
 * record's bytes are not kept (some 350 B): a dead letter carries the directive encoded again, and its position. The
 * applier keeps the newest one of every Service as a {@link Desired}.
 */
record Received(ServiceDirective directive, String topic, int partition, long offset) {

    /** Where it was read, as dead letters name it: {@code <partition>@<offset>}. */
    String position() {
        return partition + "@" + offset;
    }

    byte[] bytes() {
        return RecordCodec.get().encode(directive);
    }
}
