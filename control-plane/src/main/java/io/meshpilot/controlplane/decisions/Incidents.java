package io.meshpilot.controlplane.decisions;

import io.meshpilot.controlplane.world.RegionRecords;
import io.meshpilot.schemas.Decision;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.ServiceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The failover SLO's bookkeeping (issue 22, point 5): per Service, when each region's state was last seen to change
 * (the {@code observedAt} of the health record the decision judged it by), and the failovers and failbacks committed
 * and not yet applied everywhere. An incident is one region's failover or failback, from its detection (that health
 * record) to its decision (the directives committed) to each region it sent a directive to reporting that version,
 * or a newer one, applied. At most {@value #OPEN_PER_SERVICE} are open per Service: an older one is dropped
 * unreported (an agent that never applies does not grow the control plane).
 */
final class Incidents {

    static final int OPEN_PER_SERVICE = 8;

    /** One incident in progress. */
    record Open(String region, String kind, long version, Instant detectedAt, Instant decidedAt, Set<String> regions,
            Map<String, Instant> applied) {

        Decision.Incident report() {
            List<Decision.RegionApplied> regionsApplied = new ArrayList<>();
            applied.forEach((where, at) -> regionsApplied.add(new Decision.RegionApplied(where, at)));
            return new Decision.Incident(region, kind, version, detectedAt, decidedAt, regionsApplied);
        }

        Duration detectionToDecision() {
            return Duration.between(detectedAt, decidedAt);
        }

        Map<String, Duration> decisionToApplied() {
            Map<String, Duration> each = new TreeMap<>();
            applied.forEach((where, at) -> each.put(where, Duration.between(decidedAt, at)));
            return each;
        }

        Duration detectionToApplied() {
            Instant last = applied.values().stream().max(Instant::compareTo).orElse(decidedAt);
            return Duration.between(detectedAt, last);
        }
    }

    private final Map<ServiceKey, PerRegion<Instant>> stateSeenAt = new HashMap<>();
    private final Map<ServiceKey, List<Open>> open = new HashMap<>();

    /** The region's state changed in a decision judged on a health record observed then. */
    void stateSeen(ServiceKey service, String region, Instant observedAt) {
        stateSeenAt.computeIfAbsent(service, key -> new PerRegion<>()).put(region, observedAt);
    }

    /** When the region's current state was first seen, if known. */
    java.util.Optional<Instant> stateSeenAt(ServiceKey service, String region) {
        PerRegion<Instant> seen = stateSeenAt.get(service);
        return java.util.Optional.ofNullable(seen == null ? null : seen.get(region));
    }

    void committed(ServiceKey service, Open incident) {
        List<Open> ofService = open.computeIfAbsent(service, key -> new ArrayList<>());
        ofService.add(incident);
        if (ofService.size() > OPEN_PER_SERVICE) {
            ofService.remove(0);
        }
    }

    /** Records what the regions' agents applied; returns the incidents now applied everywhere (no longer open). */
    List<Open> progress(ServiceKey service, Map<String, RegionRecords> records) {
        List<Open> ofService = open.get(service);
        if (ofService == null) {
            return List.of();
        }
        List<Open> done = new ArrayList<>();
        for (Iterator<Open> next = ofService.iterator(); next.hasNext(); ) {
            Open incident = next.next();
            for (String region : incident.regions()) {
                RegionRecords known = records.get(region);
                DirectiveStatus status = known == null ? null : known.status();
                if (!incident.applied().containsKey(region) && status != null
                        && status.result() == DirectiveStatus.Result.APPLIED
                        && status.version() >= incident.version()) {
                    incident.applied().put(region, status.observedAt());
                }
            }
            if (incident.applied().keySet().containsAll(incident.regions())) {
                done.add(incident);
                next.remove();
            }
        }
        if (ofService.isEmpty()) {
            open.remove(service);
        }
        return done;
    }

    boolean anyOpen(ServiceKey service) {
        return open.containsKey(service);
    }

    void forget(ServiceKey service) {
        open.remove(service);
        stateSeenAt.remove(service);
    }
}
