package io.meshpilot.schemas;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The topic names of SPEC §4, for one topic prefix (default {@code meshpilot}). The only place topic names are made
 * or parsed.
 */
public record Topics(String prefix) {

    public static final String DEFAULT_PREFIX = "meshpilot";
    private static final Pattern PREFIX = Pattern.compile("[a-zA-Z0-9_-]+(\\.[a-zA-Z0-9_-]+)*");
    private static final int MAX_PREFIX_LENGTH = 200;

    /** The per-region topics and what flows on each. */
    public enum RegionRole {
        HEALTH("health"), HEARTBEAT("heartbeat"), DIRECTIVES("directives"), STATUS("status");

        private final String suffix;

        RegionRole(String suffix) {
            this.suffix = suffix;
        }

        public String suffix() {
            return suffix;
        }
    }

    /** A per-region topic, parsed. */
    public record RegionTopic(String region, RegionRole role) {
    }

    public Topics {
        if (prefix == null || prefix.length() > MAX_PREFIX_LENGTH || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("topic prefix must be letters, digits, '_' or '-' in dot-separated "
                    + "words of at most " + MAX_PREFIX_LENGTH + " characters, got '" + prefix + "'");
        }
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_PREFIX);
    }

    public String health(String region) {
        return regionTopic(region, RegionRole.HEALTH);
    }

    public String heartbeat(String region) {
        return regionTopic(region, RegionRole.HEARTBEAT);
    }

    public String directives(String region) {
        return regionTopic(region, RegionRole.DIRECTIVES);
    }

    public String status(String region) {
        return regionTopic(region, RegionRole.STATUS);
    }

    public String regionTopic(String region, RegionRole role) {
        Names.region(region).ifPresent(problem -> {
            throw new IllegalArgumentException("region '" + region + "' " + problem);
        });
        return prefix + "." + region + "." + role.suffix();
    }

    public String policies() {
        return prefix + ".policies";
    }

    public String policyStatus() {
        return prefix + ".policy-status";
    }

    /** Practice runs (issue 22): written by operators, keyed by the run's name. */
    public String practiceRuns() {
        return prefix + ".practice-runs";
    }

    /** The control plane's answers to practice runs and their reports, keyed by the run's name. */
    public String practiceStatus() {
        return prefix + ".practice-status";
    }

    public String decisions() {
        return prefix + ".decisions";
    }

    public String deadLetter() {
        return prefix + ".deadletter";
    }

    /** Matches every topic of the given role in any region, for subscribing by pattern. */
    public Pattern regionTopicPattern(RegionRole role) {
        return Pattern.compile(Pattern.quote(prefix) + "\\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\\." + role.suffix());
    }

    /**
     * What a topic carries, for metric labels: {@code health}, {@code heartbeat}, {@code directives},
     * {@code status}, {@code policies}, {@code policy-status}, {@code practice-runs}, {@code practice-status},
     * {@code decisions}, {@code deadletter}, or
     * {@code other} for a topic that is not meshpilot's.
     */
    public String role(String topic) {
        Optional<RegionTopic> regionTopic = parse(topic);
        if (regionTopic.isPresent()) {
            return regionTopic.get().role().suffix();
        }
        if (topic.startsWith(prefix + ".")) {
            String rest = topic.substring(prefix.length() + 1);
            if (rest.equals("policies") || rest.equals("policy-status") || rest.equals("decisions")
                    || rest.equals("deadletter") || rest.equals("practice-runs") || rest.equals("practice-status")) {
                return rest;
            }
        }
        return "other";
    }

    /**
     * The region and role of a per-region topic of this prefix, or empty for any other topic. Called for every record
     * read, so it compares strings instead of compiling patterns.
     */
    public Optional<RegionTopic> parse(String topic) {
        String start = prefix + ".";
        if (!topic.startsWith(start)) {
            return Optional.empty();
        }
        for (RegionRole role : RegionRole.values()) {
            String end = "." + role.suffix();
            if (topic.endsWith(end) && topic.length() > start.length() + end.length()) {
                String region = topic.substring(start.length(), topic.length() - end.length());
                if (Names.isRegion(region)) {
                    return Optional.of(new RegionTopic(region, role));
                }
            }
        }
        return Optional.empty();
    }
}
