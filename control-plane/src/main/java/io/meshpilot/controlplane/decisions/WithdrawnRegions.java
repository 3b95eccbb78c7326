package io.meshpilot.controlplane.decisions;

import io.meshpilot.core.decision.MeshWithdrawals;
import io.meshpilot.core.decision.WithdrawalLedger;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.ServiceKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which regions are withdrawn for which Services across the mesh, for the {@code maxWithdrawnRegions} safety rule
 * ({@link WithdrawalLedger}), from each Service's directives (in flight, else in force; any replica's, as the observer
 * reads them). Kept per Service as its directives change, so counting costs nothing per decision.
 */
final class WithdrawnRegions {

    private final WithdrawalLedger ledger = new WithdrawalLedger();
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
        return move(service, now);
    }

    /**
     * One region's directive of the Service changed (read back from its topic): only that region is counted again,
     * so reading a Service's directives in 255 regions costs 255 steps, not 255 times 255. Returns whether it came back.
     */
    boolean update(ServiceKey service, String region, boolean withdrawnNow) {
        Set<String> before = byService.getOrDefault(service, Set.of());
        if (before.contains(region) == withdrawnNow) {
            return false;
        }
        Set<String> now = new TreeSet<>(before);
        if (withdrawnNow) {
            now.add(region);
        } else {
            now.remove(region);
        }
        return move(service, now);
    }

    private boolean move(ServiceKey service, Set<String> now) {
        Set<String> before = byService.getOrDefault(service, Set.of());
        if (before.equals(now)) {
            return false;
        }
        ledger.move(service.namespace(), service.name(), before, now);
        if (now.isEmpty()) {
            byService.remove(service);
        } else {
            byService.put(service, shared(now));
        }
        return !now.containsAll(before);
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
        return new MeshWithdrawals(ledger.byOthers(service.namespace(), service.name(), scope),
                byService.getOrDefault(service, Set.of()));
    }

    /** Every region withdrawn for some Service. */
    Set<String> regions() {
        return ledger.regions();
    }

    static boolean withdrawn(ServiceDirective directive) {
        return WithdrawalLedger.withdraws(directive.annotations(), directive.reason());
    }
}
