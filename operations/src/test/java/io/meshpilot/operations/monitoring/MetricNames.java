package io.meshpilot.operations.monitoring;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The meshpilot metric names in PromQL, in a metrics page, or in the metrics reference. */
final class MetricNames {

    private static final Pattern NAME = Pattern.compile("\\bmeshpilot_[a-z0-9_]*[a-z0-9]\\b");
    private static final Pattern SAMPLE_SUFFIX = Pattern.compile("_(bucket|count|sum)$");

    private MetricNames() {
    }

    /** Every name in these texts, as written (a histogram's series keep their _bucket, _count or _sum). */
    static Set<String> in(Collection<String> texts) {
        Set<String> names = new TreeSet<>();
        for (String text : texts) {
            Matcher matcher = NAME.matcher(text);
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        return names;
    }

    /** The metric a series belongs to: a histogram's _bucket, _count and _sum series belong to the histogram. */
    static String family(String seriesName) {
        return SAMPLE_SUFFIX.matcher(seriesName).replaceFirst("");
    }
}
