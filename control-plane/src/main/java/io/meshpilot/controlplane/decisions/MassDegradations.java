package io.meshpilot.controlplane.decisions;

import io.meshpilot.core.decision.MassDegradation;
import io.meshpilot.schemas.ServiceKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Comparator;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Watches each region for a mass degradation: more than a policy's share of the region's Services (every Service the
 * control plane knows there, any replica's) degraded within a few seconds of each other. A Service is degraded here
 * when its health falls below its policy's thresholds against the endpoints present, since the health record that
 * first said so ({@code observedAt}: data time, the same on every replica). When the share is crossed, a window
 * opens until the last of those degradations plus the confirmation time; a window never grows, and only
 * degradations after it ended can open the next one. Windows are kept per region and setting.
 */
final class MassDegradations {

    /** Past this many distinct sets of regions, a Service's set is no longer shared with others'. */
    private static final int SHARED_REGION_SETS = 4096;

    /** Per region, how many Services are present there (a count: a set of them would cost a node per Service). */
    private final Map<String, Integer> present = new HashMap<>();
    private final Map<String, Map<ServiceKey, Instant>> degradedSince = new HashMap<>();
    /** Per region, its degraded Services ordered by since when (one entry each, not a set per instant). */
    private final Map<String, NavigableSet<Since>> bySince = new HashMap<>();
    private final Map<ServiceKey, Set<String>> regionsOf = new HashMap<>();
    /** One instance of each set of regions, shared by the Services present in the same regions. */
    private final Map<Set<String>, Set<String>> regionSets = new HashMap<>();
    private final Map<Window.Key, Window> windows = new HashMap<>();

    /** A Service degraded since then; the lowest of an instant has no Service. */
    private record Since(Instant at, ServiceKey service) {
        private static final Comparator<Since> ORDER = Comparator.comparing(Since::at)
                .thenComparing(Since::service, Comparator.nullsFirst(Comparator.naturalOrder()));

        /** Before every Service degraded at or after {@code at}. */
        static Since from(Instant at) {
            return new Since(at, null);
        }
    }

    /** One confirmation window: the degradation that crossed the share, and when failovers may go. */
    private record Window(Instant crossedAt, Instant endsAt) {
        private record Key(String region, MassDegradation setting) {
        }
    }

    /** The Service's state in each region now: present or not, and if so since when degraded (empty: healthy). */
    void update(ServiceKey service, Map<String, Optional<Instant>> degradedByRegion) {
        Set<String> before = regionsOf.getOrDefault(service, Set.of());
        for (String region : before) {
            if (!degradedByRegion.containsKey(region)) {
                present.computeIfPresent(region, (key, count) -> count == 1 ? null : count - 1);
                healthy(service, region);
            }
        }
        degradedByRegion.forEach((region, since) -> {
            if (!before.contains(region)) {
                present.merge(region, 1, Integer::sum);
            }
            if (since.isEmpty()) {
                healthy(service, region);
            } else if (!degradedSince.computeIfAbsent(region, key -> new HashMap<>()).containsKey(service)) {
                degradedSince.get(region).put(service, since.get());
                bySince.computeIfAbsent(region, key -> new TreeSet<>(Since.ORDER)).add(new Since(since.get(),
                        service));
            }
        });
        if (degradedByRegion.isEmpty()) {
            regionsOf.remove(service);
        } else {
            regionsOf.put(service, shared(degradedByRegion.keySet()));
        }
    }

    private Set<String> shared(Set<String> regions) {
        Set<String> known = regionSets.get(regions);
        if (known != null) {
            return known;
        }
        Set<String> copy = Set.copyOf(regions);
        if (regionSets.size() < SHARED_REGION_SETS) {
            regionSets.put(copy, copy);
        }
        return copy;
    }

    private void healthy(ServiceKey service, String region) {
        Map<ServiceKey, Instant> since = degradedSince.get(region);
        Instant at = since == null ? null : since.remove(service);
        if (at != null) {
            bySince.get(region).remove(new Since(at, service));
        }
    }

    /**
     * When the region's confirmation window for this setting ends, if one is open now; opens one if more than the
     * share of the region's Services degraded within {@code within} before now (and after the last window ended).
     */
    Optional<Instant> confirmingUntil(String region, MassDegradation setting, Instant now) {
        Window.Key key = new Window.Key(region, setting);
        Window last = windows.get(key);
        if (last != null && now.isBefore(last.endsAt())) {
            return Optional.of(last.endsAt());
        }
        NavigableSet<Since> sinces = bySince.getOrDefault(region, new TreeSet<>(Since.ORDER));
        Instant from = now.minus(setting.within());
        boolean afterLast = last != null && !last.endsAt().isBefore(from);
        // Instants are exact to the nanosecond: after endsAt is from endsAt plus one, up to now is before now plus one
        NavigableSet<Since> recent = sinces.subSet(Since.from(afterLast ? last.endsAt().plusNanos(1) : from), true,
                Since.from(now.plusNanos(1)), false);
        int degraded = recent.size();
        int services = present.getOrDefault(region, 0);
        if (services == 0 || degraded <= setting.share() * services) {
            return Optional.empty();
        }
        Instant crossedAt = recent.last().at();
        Window opened = new Window(crossedAt, crossedAt.plus(setting.confirmFor()));
        windows.put(key, opened);
        return now.isBefore(opened.endsAt()) ? Optional.of(opened.endsAt()) : Optional.empty();
    }
}
