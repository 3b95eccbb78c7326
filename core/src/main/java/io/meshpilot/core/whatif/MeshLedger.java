package io.meshpilot.core.whatif;

import io.meshpilot.core.decision.MeshWithdrawals;
import io.meshpilot.core.decision.RegionOutcome;
import io.meshpilot.core.decision.ServiceDecision;
import io.meshpilot.core.decision.WithdrawalLedger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One side's regions withdrawn across the mesh, for the {@code maxWithdrawnRegions} safety rule, counted as the
 * control plane counts them ({@link WithdrawalLedger}). It starts from the decisions in force and follows each
 * Service's simulated decision as the simulation settles it, one Service after the other: the control plane, too,
 * decides Services one at a time, so the first to withdraw a region take the rule's allowance.
 */
final class MeshLedger {

    private final WithdrawalLedger ledger = new WithdrawalLedger();
    private final Map<String, Set<String>> byService = new HashMap<>();

    static MeshLedger of(List<ServiceSnapshot> services) {
        MeshLedger ledger = new MeshLedger();
        services.forEach(service -> service.previous().ifPresent(decision ->
                ledger.settle(service.service(), decision)));
        return ledger;
    }

    /** What the rule of a policy of this scope counts when it decides for the Service, now deciding {@code current}. */
    MeshWithdrawals seenBy(String service, String scope, Optional<ServiceDecision> current) {
        Name name = Name.of(service);
        return new MeshWithdrawals(ledger.byOthers(name.namespace(), name.name(), scope),
                current.map(MeshLedger::withdrawn).orElse(Set.of()));
    }

    /** The Service's decision once its side settled: its withdrawn regions now count for the others. */
    void settle(String service, ServiceDecision decision) {
        Name name = Name.of(service);
        Set<String> now = withdrawn(decision);
        ledger.move(name.namespace(), name.name(), byService.getOrDefault(service, Set.of()), now);
        byService.put(service, now);
    }

    static Set<String> withdrawn(ServiceDecision decision) {
        Set<String> regions = new TreeSet<>();
        for (RegionOutcome outcome : decision.regions()) {
            if (!outcome.hold() && WithdrawalLedger.withdraws(outcome.annotations(), outcome.reason().wireName())) {
                regions.add(outcome.region());
            }
        }
        return regions;
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
