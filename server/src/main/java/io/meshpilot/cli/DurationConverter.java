package io.meshpilot.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as Go (and so kubectl) writes them: a sequence of numbers with units, {@code 300ms}, {@code 5s},
 * {@code 1m30s}, {@code 1.5h}, {@code 2h45m}; units ns, us (µs), ms, s, m, h. {@code 0} alone is zero.
 */
final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|µs|ms|s|m|h)"
            + "(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|µs|ms|s|m|h))*");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    @Override
    public Duration convert(String value) {
        String text = value.trim();
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (!WHOLE.matcher(text).matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration such as 300ms, 5s, 1m30s or 2h");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            nanos = nanos.add(new BigDecimal(part.group(1).startsWith(".") ? "0" + part.group(1) : part.group(1))
                    .multiply(BigDecimal.valueOf(NANOS.get(part.group(2)))));
        }
        return Duration.ofNanos(nanos.longValueExact());
    }
}
