package io.meshpilot.core.whatif;

import io.meshpilot.core.decision.MeshWithdrawals;
import io.meshpilot.core.decision.Reason;
import io.meshpilot.core.decision.RegionOutcome;
import io.meshpilot.core.decision.ServiceDecision;
import io.meshpilot.core.routing.CiliumServiceConfig;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One side's regions withdrawn across the mesh, for the {@code maxWithdrawnRegions} safety rule, as the control
 * plane's count goes: a region is withdrawn for a Service while the Service's decision keeps it global but stops
 * exporting its backends for the region's state (not a healthy region left out of the targets). It starts from the
 * decisions in force and follows each Service's simulated decision as the simulation settles it, one Service after
 * the other: the control plane, too, decides Services one at a time, so the first to withdraw a region take the
 * rule's allowance.
 */
final class MeshLedger {

    /** Per region, per namespace: the Services it is withdrawn for. */
    private final Map<String, Map<String, Set<String>>> byRegion = new HashMap<>();
    private final Map<String, Set<String>> byService = new HashMap<>();

    static MeshLedger of(List<ServiceSnapshot> services) {
        MeshLedger ledger = new MeshLedger();
        services.forEach(service -> service.previous().ifPresent(decision ->
                ledger.settle(service.service(), decision)));
        return ledger;
    }

    /** What the rule of a policy of this scope counts when it decides for the Service, now deciding {@code current}. */
    MeshWithdrawals seenBy(String service, String scope, Optional<ServiceDecision> current) {
        Set<String> others = new TreeSet<>();
        byRegion.forEach((region, namespaces) -> {
            if (withdrawnForAnother(namespaces, service, scope)) {
                others.add(region);
            }
        });
        return new MeshWithdrawals(others, current.map(MeshLedger::withdrawn).orElse(Set.of()));
    }

    /** The Service's decision once its side settled: its withdrawn regions now count for the others. */
    void settle(String service, ServiceDecision decision) {
        Name name = Name.of(service);
        for (String region : byService.getOrDefault(service, Set.of())) {
            Map<String, Set<String>> namespaces = byRegion.get(region);
            namespaces.get(name.namespace()).remove(name.name());
            namespaces.values().removeIf(Set::isEmpty);
            if (namespaces.isEmpty()) {
                byRegion.remove(region);
            }
        }
        Set<String> now = withdrawn(decision);
        byService.put(service, now);
        now.forEach(region -> byRegion.computeIfAbsent(region, key -> new HashMap<>())
                .computeIfAbsent(name.namespace(), key -> new HashSet<>()).add(name.name()));
    }

    static Set<String> withdrawn(ServiceDecision decision) {
        Set<String> regions = new TreeSet<>();
        for (RegionOutcome outcome : decision.regions()) {
            boolean withdraws = CiliumServiceConfig.fromAnnotations(outcome.annotations())
                    .map(config -> config.global() && !config.shared()).orElse(false);
            if (!outcome.hold() && withdraws && outcome.reason() != Reason.LOCAL_HEALTHY) {
                regions.add(outcome.region());
            }
        }
        return regions;
    }

    private static boolean withdrawnForAnother(Map<String, Set<String>> namespaces, String service, String scope) {
        Name name = Name.of(service);
        if (scope.equals("*")) {
            Set<String> own = namespaces.get(name.namespace());
            return own == null || !own.contains(name.name()) || own.size() > 1 || namespaces.size() > 1;
        }
        if (scope.equals(name.namespace() + "/*")) {
            Set<String> names = namespaces.getOrDefault(name.namespace(), Set.of());
            return names.size() > 1 || (names.size() == 1 && !names.contains(name.name()));
        }
        return false;
    }

    /** A Service's {@code namespace/name}. */
    private record Name(String namespace, String name) {
        static Name of(String service) {
            int slash = service.indexOf('/');
            return slash < 0 ? new Name("", service) : new Name(service.substring(0, slash),
                    service.substring(slash + 1));
        }
    }
}
