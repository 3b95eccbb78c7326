package io.meshpilot.controlplane.practice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The allowed hours of a practice run: the whole window within them on one day, or across midnight if they are. */
class AllowedHoursTest {

    private static final AllowedHours OFFICE = AllowedHours.parse("09:00-17:00", ZoneId.of("Europe/Berlin"));
    private static final AllowedHours NIGHT = AllowedHours.parse("22:00-06:00", ZoneOffset.UTC);

    @Test
    void aWindowMustLieWithinTheHoursOfOneDayInTheirTimeZone() {
        assertThat(OFFICE.contains(at("2026-12-02T08:00:00Z"), at("2026-12-02T09:00:00Z"))).as("09:00-10:00 CET")
                .isTrue();
        assertThat(OFFICE.contains(at("2026-12-02T07:59:00Z"), at("2026-12-02T08:30:00Z"))).isFalse();
        assertThat(OFFICE.contains(at("2026-12-02T15:30:00Z"), at("2026-12-02T16:00:01Z"))).as("ends after 17:00")
                .isFalse();
        assertThat(OFFICE.contains(at("2026-12-02T15:00:00Z"), at("2026-12-03T09:00:00Z"))).as("two days")
                .isFalse();
    }

    @Test
    void hoursAcrossMidnightTakeAWindowThatStartsLateOrEarly() {
        assertThat(NIGHT.contains(at("2026-12-02T23:00:00Z"), at("2026-12-03T05:00:00Z"))).isTrue();
        assertThat(NIGHT.contains(at("2026-12-03T01:00:00Z"), at("2026-12-03T06:00:00Z"))).isTrue();
        assertThat(NIGHT.contains(at("2026-12-02T23:00:00Z"), at("2026-12-03T06:30:00Z"))).isFalse();
        assertThat(NIGHT.contains(at("2026-12-02T12:00:00Z"), at("2026-12-02T12:10:00Z"))).isFalse();
        assertThat(NIGHT.contains(at("2026-12-03T05:00:00Z"), at("2026-12-03T23:00:00Z"))).isFalse();
    }

    private static Instant at(String time) {
        return Instant.parse(time);
    }
}
