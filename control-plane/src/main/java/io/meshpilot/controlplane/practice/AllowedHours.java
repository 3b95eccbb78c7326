package io.meshpilot.controlplane.practice;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The hours of a day within which a practice run's whole window must fall ({@code allowedHours} in its time zone). A
 * window that starts on one day and ends the next falls within it only if the hours cross midnight too.
 */
public record AllowedHours(LocalTime from, LocalTime until, ZoneId zone) {

    /** {@code HH:MM-HH:MM}, as the schema checked it. */
    static AllowedHours parse(String hours, ZoneId zone) {
        String[] ends = hours.split("-");
        return new AllowedHours(LocalTime.parse(ends[0]), LocalTime.parse(ends[1]), zone);
    }

    /** Whether the window from start to end lies within the allowed hours of one day. */
    public boolean contains(Instant start, Instant end) {
        ZonedDateTime begins = start.atZone(zone);
        ZonedDateTime ends = end.atZone(zone);
        if (!from.isAfter(until)) {
            return begins.toLocalDate().equals(ends.toLocalDate()) && !begins.toLocalTime().isBefore(from)
                    && !ends.toLocalTime().isAfter(until);
        }
        // hours across midnight, e.g. 22:00-06:00: the window starts after from or ends before until, not in between
        boolean startsLate = !begins.toLocalTime().isBefore(from);
        ZonedDateTime limit = (startsLate ? begins.toLocalDate().plusDays(1) : begins.toLocalDate())
                .atTime(until).atZone(zone);
        boolean startsEarly = !begins.toLocalTime().isAfter(until);
        return (startsLate || startsEarly) && !ends.isAfter(limit);
    }

    @Override
    public String toString() {
        return from + "-" + until + " " + zone;
    }
}
