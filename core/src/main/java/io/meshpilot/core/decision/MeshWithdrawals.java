package io.meshpilot.core.decision;

import java.util.Set;

/**
 * The regions withdrawn now across the mesh, as the {@code maxWithdrawnRegions} safety rule counts them: a region is
 * withdrawn for a Service when its directive (in force or in flight) stops exporting its backends ({@code
 * shared=false}) because of the region's state (degraded, drained, or healthy again but waiting to fail back; not a
 * healthy region left out of the targets); a region counts once however many Services it withdraws.
 *
 * @param byOtherServices regions withdrawn for the other Services the policy's scope covers
 * @param byThisService   regions withdrawn for the Service being decided, by its directives now
 */
public record MeshWithdrawals(Set<String> byOtherServices, Set<String> byThisService) {

    public static final MeshWithdrawals NONE = new MeshWithdrawals(Set.of(), Set.of());

    public MeshWithdrawals {
        byOtherServices = Set.copyOf(byOtherServices);
        byThisService = Set.copyOf(byThisService);
    }
}
