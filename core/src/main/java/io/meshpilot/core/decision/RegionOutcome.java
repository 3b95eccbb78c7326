package io.meshpilot.core.decision;

import io.meshpilot.core.routing.CiliumServiceConfig;

/** The engine's verdict for one region: how it judged the region, the settings its Service should carry, and why. */
public record RegionOutcome(String region, RegionState state, CiliumServiceConfig config, Reason reason) {
}
