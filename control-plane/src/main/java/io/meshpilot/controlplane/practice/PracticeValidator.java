package io.meshpilot.controlplane.practice;

import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.FieldError;
import io.meshpilot.schemas.Names;
import io.meshpilot.schemas.PracticeRun;
import io.meshpilot.schemas.RecordCodec;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Judges a {@code PracticeRun} record as policies are judged: its key must be a run name, its bytes a valid document
 * (the JSON Schema: types, ranges, no unknown field), its {@code name} (if any) equal to the key, its region known,
 * its time zone real, and its allowed hours long enough for its window. Every error is reported, each naming its field.
 */
public final class PracticeValidator {

    private final RecordCodec codec = RecordCodec.get();

    /** @param knownRegions the regions that exist now; empty: not checked */
    public PracticeVerdict judge(String key, byte[] value, Set<String> knownRegions) {
        List<FieldError> errors = new ArrayList<>();
        Names.runName(key).ifPresent(problem -> errors.add(new FieldError("key", "'" + key + "' " + problem)));
        Decoded<PracticeRun> decoded = codec.decode(value, PracticeRun.class);
        if (decoded instanceof Decoded.Invalid<PracticeRun> invalid) {
            errors.addAll(invalid.errors());
            return new PracticeVerdict.Rejected(errors);
        }
        PracticeRun run = ((Decoded.Valid<PracticeRun>) decoded).record();
        if (run.name() != null && !run.name().equals(key)) {
            errors.add(new FieldError("name", "must equal the record key '" + key + "', found '" + run.name() + "'"));
        }
        if (!knownRegions.isEmpty() && !knownRegions.contains(run.region())) {
            errors.add(new FieldError("region", "'" + run.region() + "' is not a known region "
                    + new TreeSet<>(knownRegions)));
        }
        ZoneId zone = ZoneOffset.UTC;
        if (run.timeZone() != null) {
            try {
                zone = ZoneId.of(run.timeZone());
            } catch (DateTimeException e) {
                errors.add(new FieldError("timeZone", "'" + run.timeZone() + "' is not a time zone (an IANA name "
                        + "such as Europe/Berlin, or UTC)"));
            }
            if (run.allowedHours() == null) {
                errors.add(new FieldError("timeZone", "only with allowedHours"));
            }
        }
        Duration duration = Duration.ofSeconds(run.durationSeconds());
        Optional<AllowedHours> hours = Optional.ofNullable(run.allowedHours())
                .map(written -> AllowedHours.parse(written, ZoneOffset.UTC));
        if (hours.isPresent()) {
            hours = Optional.of(new AllowedHours(hours.get().from(), hours.get().until(), zone));
            Duration open = Duration.between(hours.get().from(), hours.get().until());
            Duration length = open.isNegative() ? open.plusDays(1) : open;
            if (length.compareTo(duration) < 0) {
                errors.add(new FieldError("allowedHours", "are " + length.toMinutes() + " minutes, shorter than "
                        + "the run's window of durationSeconds " + run.durationSeconds()));
            }
        }
        if (!errors.isEmpty()) {
            return new PracticeVerdict.Rejected(errors);
        }
        return new PracticeVerdict.Accepted(new PracticePlan(key, run.region(), Optional.ofNullable(run.startAt()),
                duration, run.services() == null ? List.of("*") : run.services(), hours));
    }
}
