package io.meshpilot.core.whatif;

import java.time.Instant;
import java.util.List;

/**
 * The answer to a hypothesis: the Services it changes (each in full), how many it leaves as they are, and every
 * Service that would end in a global outage (changed or not).
 */
public record WhatIfReport(Instant at, List<ServiceEffect> changed, int unchanged, List<String> globalOutages) {

    public WhatIfReport {
        changed = List.copyOf(changed);
        globalOutages = List.copyOf(globalOutages);
    }
}
