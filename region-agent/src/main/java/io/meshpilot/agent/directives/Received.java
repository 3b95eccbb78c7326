package io.meshpilot.agent.directives;

import io.meshpilot.schemas.ServiceDirective;

/** A directive as read from the directives topic, with where it came from, for status and dead-lettering. */
record Received(ServiceDirective directive, String topic, String position, byte[] bytes) {

    /** The one with the higher version; the later one read when they are equal (a directive re-sent). */
    static Received newer(Received kept, Received offered) {
        return offered.directive().version() >= kept.directive().version() ? offered : kept;
    }
}
