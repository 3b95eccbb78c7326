package io.meshpilot.core.routing;

import java.util.Comparator;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Cilium release (1.minor.patch), for the few behaviours that differ between the supported ones (docs/cilium.md).
 */
public record CiliumRelease(int minor, int patch) implements Comparable<CiliumRelease> {

    /** The oldest release meshpilot supports. */
    public static final CiliumRelease OLDEST_SUPPORTED = new CiliumRelease(18, 0);
    /** The release the conformance suite runs Cilium's own code from (cilium-conformance/go.mod). */
    public static final CiliumRelease CONFORMANCE = new CiliumRelease(20, 2);

    private static final Pattern VERSION = Pattern.compile("v?1\\.(\\d{1,3})\\.(\\d{1,4})");
    private static final Comparator<CiliumRelease> ORDER = Comparator.comparingInt(CiliumRelease::minor)
            .thenComparingInt(CiliumRelease::patch);

    public CiliumRelease {
        if (minor < 0 || patch < 0) {
            throw new IllegalArgumentException("a Cilium release has no negative parts");
        }
    }

    /** Parses {@code 1.19.5} or {@code v1.19.5}. */
    public static CiliumRelease parse(String version) {
        Matcher matcher = VERSION.matcher(Objects.requireNonNull(version, "version").trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a Cilium 1.x.y release: " + version);
        }
        return new CiliumRelease(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }

    /**
     * Whether {@code affinity: none} reads as no preference and an unknown value as none with a warning
     * (cilium/cilium#46635: in 1.19.6 and 1.20.0); before, both read as local backends only.
     */
    public boolean readsAffinityNoneAsBalanced() {
        return minor > 19 || (minor == 19 && patch >= 6);
    }

    /** Whether the Namespace annotation {@code clustermesh.cilium.io/global} gates export (1.19 and later). */
    public boolean gatesExportByNamespace() {
        return minor >= 19;
    }

    /** Whether {@code clustermesh.cacheTTL} exists (1.19 and later): before, remote backends are cached for ever. */
    public boolean hasCacheTtl() {
        return minor >= 19;
    }

    @Override
    public int compareTo(CiliumRelease other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return "1." + minor + "." + patch;
    }
}
