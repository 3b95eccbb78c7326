package io.meshpilot.schemas;

/** The names meshpilot uses on Kubernetes objects (SPEC §3): public interface, like the topic names. */
public final class KubernetesContract {

    /** The label that makes a Service managed (the agent's default selector is this label set to "true"). */
    public static final String MANAGED_LABEL = "meshpilot.io/managed";
    /** meshpilot's bookkeeping annotation: the version of the directive applied to the Service. */
    public static final String DIRECTIVE_VERSION_ANNOTATION = "meshpilot.io/directive-version";
    /** Event reason recorded on a Service for every applied change. */
    public static final String AFFINITY_CHANGED_REASON = "AffinityChanged";
    /**
     * Decision reasons the agent records as a Warning Event: a drain held off, sick backends exported as a last
     * resort, no healthy target, a failover refused for want of capacity.
     */
    public static final java.util.Set<String> WARNING_DECISION_REASONS = java.util.Set.of("drain-overridden",
            "last-resort-export", "no-healthy-target", "insufficient-capacity", "blocked-by-safety-rule",
            "confirming-mass-degradation");
    /** Warning Event reason recorded when a manual edit of an owned annotation is reverted. */
    public static final String DRIFT_REVERTED_REASON = "DriftReverted";

    private KubernetesContract() {
    }
}
