package io.meshpilot.controlplane.decisions;

import io.meshpilot.controlplane.policy.PolicyBook;
import io.meshpilot.core.decision.MeshWithdrawals;
import io.meshpilot.core.decision.Reason;
import io.meshpilot.core.routing.CiliumServiceConfig;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which regions are withdrawn for which Services across the mesh, for the {@code maxWithdrawnRegions} safety rule:
 * a region is withdrawn for a Service while its directive (in flight, else in force; any replica's, as the observer
 * reads them) keeps the Service global but stops exporting its backends ({@code shared=false}) because of the
 * region's state: degraded, drained, or waiting to fail back (not a healthy region left out of the targets). Kept per Service as its directives change, so counting costs nothing per decision.
 */
final class WithdrawnRegions {

    /** Per region, per namespace: the Services it is withdrawn for. */
    private final Map<String, Map<String, Set<String>>> byRegion = new HashMap<>();
    private final Map<ServiceKey, Set<String>> byService = new HashMap<>();
    private final Map<Set<String>, Set<String>> regionSets = new HashMap<>();
    /** Past this many distinct sets of regions, a Service's set is no longer shared with others'. */
    private static final int SHARED_REGION_SETS = 4096;

    /** The Service's regions now withdrawn, per these directives (one per region); returns whether any came back. */
    boolean update(ServiceKey service, Iterable<ServiceDirective> directives) {
        Set<String> now = new TreeSet<>();
        for (ServiceDirective directive : directives) {
            if (withdrawn(directive)) {
                now.add(directive.region());
            }
        }
        Set<String> before = byService.getOrDefault(service, Set.of());
        if (before.equals(now)) {
            return false;
        }
        boolean cameBack = false;
        for (String region : before) {
            if (!now.contains(region)) {
                cameBack = true;
                Map<String, Set<String>> namespaces = byRegion.get(region);
                Set<String> names = namespaces.get(service.namespace());
                names.remove(service.name());
                if (names.isEmpty()) {
                    namespaces.remove(service.namespace());
                }
                if (namespaces.isEmpty()) {
                    byRegion.remove(region);
                }
            }
        }
        for (String region : now) {
            byRegion.computeIfAbsent(region, key -> new HashMap<>())
                    .computeIfAbsent(service.namespace(), key -> new HashSet<>()).add(service.name());
        }
        if (now.isEmpty()) {
            byService.remove(service);
        } else {
            byService.put(service, shared(now));
        }
        return cameBack;
    }

    /** One instance of each set of regions, shared by the Services withdrawn in the same regions. */
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

    /** What the rule of a policy of this scope counts when it decides for the Service. */
    MeshWithdrawals seenBy(ServiceKey service, String scope) {
        Set<String> others = new TreeSet<>();
        byRegion.forEach((region, namespaces) -> {
            if (withdrawnForAnother(namespaces, service, scope)) {
                others.add(region);
            }
        });
        return new MeshWithdrawals(others, byService.getOrDefault(service, Set.of()));
    }

    /** Every region withdrawn for some Service. */
    Set<String> regions() {
        return Set.copyOf(byRegion.keySet());
    }

    private static boolean withdrawnForAnother(Map<String, Set<String>> namespaces, ServiceKey service,
            String scope) {
        if (scope.equals(PolicyBook.EVERYTHING)) {
            Set<String> own = namespaces.get(service.namespace());
            return own == null || !own.contains(service.name()) || own.size() > 1 || namespaces.size() > 1;
        }
        if (scope.equals(service.namespace() + "/*")) {
            Set<String> names = namespaces.getOrDefault(service.namespace(), Set.of());
            return names.size() > 1 || (names.size() == 1 && !names.contains(service.name()));
        }
        return false;
    }

    static boolean withdrawn(ServiceDirective directive) {
        boolean withdraws = CiliumServiceConfig.fromAnnotations(directive.annotations())
                .map(config -> config.global() && !config.shared()).orElse(false);
        return withdraws && forItsState(directive);
    }

    /**
     * Whether the directive withdraws the region for what it is (degraded, drained, or healthy again but waiting to
     * fail back), not as a healthy region left out of the targets ({@code local-healthy}, {@code shared=false}).
     */
    private static boolean forItsState(ServiceDirective directive) {
        return !Reason.LOCAL_HEALTHY.wireName().equals(directive.reason());
    }
}
