package io.meshpilot.core.decision;

import io.meshpilot.core.routing.CiliumServiceConfig;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which regions are withdrawn for which Services across the mesh, as the {@code maxWithdrawnRegions} safety rule
 * counts them ({@link MeshWithdrawals}): the control plane keeps one from the directives it reads, what-if one per
 * side from the decisions it simulates. A region counts once however many Services it is withdrawn for; a policy
 * scope sees the Services it covers ({@code *}: every Service, {@code ns/*}: the namespace's, a Service's own: none
 * other).
 */
public final class WithdrawalLedger {

    /** The scope of the policy that covers every Service. */
    public static final String EVERY_SERVICE = "*";

    /** Per region, per namespace: the Services it is withdrawn for. */
    private final Map<String, Map<String, Set<String>>> byRegion = new HashMap<>();

    /**
     * Whether a directive or a decision with these annotations and reason (its wire name) withdraws its region for the rule: it keeps
     * the Service global but stops exporting its backends ({@code shared=false}) for the region's state (degraded,
     * drained, or healthy again but waiting to fail back), not as a healthy region left out of the targets.
     */
    public static boolean withdraws(Map<String, String> annotations, String reason) {
        boolean unshared = CiliumServiceConfig.fromAnnotations(annotations)
                .map(config -> config.global() && !config.shared()).orElse(false);
        return unshared && !Reason.LOCAL_HEALTHY.wireName().equals(reason);
    }

    /** The Service, once withdrawn in {@code before}, is now withdrawn in {@code now}. */
    public void move(String namespace, String name, Set<String> before, Set<String> now) {
        for (String region : before) {
            if (!now.contains(region)) {
                Map<String, Set<String>> namespaces = byRegion.get(region);
                Set<String> names = namespaces.get(namespace);
                names.remove(name);
                if (names.isEmpty()) {
                    namespaces.remove(namespace);
                }
                if (namespaces.isEmpty()) {
                    byRegion.remove(region);
                }
            }
        }
        for (String region : now) {
            byRegion.computeIfAbsent(region, key -> new HashMap<>())
                    .computeIfAbsent(namespace, key -> new HashSet<>()).add(name);
        }
    }

    /** The regions withdrawn for Services other than this one that a policy of this scope covers. */
    public Set<String> byOthers(String namespace, String name, String scope) {
        Set<String> others = new TreeSet<>();
        byRegion.forEach((region, namespaces) -> {
            if (withdrawnForAnother(namespaces, namespace, name, scope)) {
                others.add(region);
            }
        });
        return others;
    }

    /** Every region withdrawn for some Service. */
    public Set<String> regions() {
        return Set.copyOf(byRegion.keySet());
    }

    private static boolean withdrawnForAnother(Map<String, Set<String>> namespaces, String namespace, String name,
            String scope) {
        if (scope.equals(EVERY_SERVICE)) {
            Set<String> own = namespaces.get(namespace);
            return own == null || !own.contains(name) || own.size() > 1 || namespaces.size() > 1;
        }
        if (scope.equals(namespace + "/*")) {
            Set<String> names = namespaces.getOrDefault(namespace, Set.of());
            return names.size() > 1 || (names.size() == 1 && !names.contains(name));
        }
        return false;
    }
}
