package io.meshpilot.core.decision;

import io.meshpilot.core.routing.CiliumServiceConfig;

/** The engine's verdict for one region: the ClusterMesh settings its Service should carry, and why. */
public record RegionOutcome(String region, CiliumServiceConfig config, Reason reason) {
}
