package io.meshpilot.agent.directives;

import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceDirective;

/**
 * A directive as read from the directives topic, with where it came from, for status and dead-lettering. The
 * record's bytes are not kept: the agent holds the newest directive of every Service it watches, and at some 350 B
 * they would be a third of its heap per Service; a dead letter carries the directive encoded again, and its position.
 */
record Received(ServiceDirective directive, String topic, int partition, long offset) {

    /** The one with the higher version; the later one read when they are equal (a directive re-sent). */
    static Received newer(Received kept, Received offered) {
        return offered.directive().version() >= kept.directive().version() ? offered : kept;
    }

    /** Where it was read, as dead letters name it: {@code <partition>@<offset>}. */
    String position() {
        return partition + "@" + offset;
    }

    byte[] bytes() {
        return RecordCodec.get().encode(directive);
    }
}
