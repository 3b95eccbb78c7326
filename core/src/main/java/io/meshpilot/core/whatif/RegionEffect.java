package io.meshpilot.core.whatif;

/** One region of a Service, before and after the hypothesis. */
public record RegionEffect(String region, RegionSide before, RegionSide after) {

    /** Whether the directive would change: its annotations or its reason. */
    public boolean directiveChanges() {
        return !before.annotations().equals(after.annotations()) || before.reason() != after.reason();
    }

    public boolean routesChange() {
        return !before.routes().equals(after.routes());
    }

    public boolean changes() {
        return directiveChanges() || routesChange() || before.state() != after.state();
    }
}
