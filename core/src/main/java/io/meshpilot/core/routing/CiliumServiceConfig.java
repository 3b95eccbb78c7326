package io.meshpilot.core.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ClusterMesh settings of one Service in one cluster, and their annotations ({@code service.cilium.io/global},
 * {@code shared} and {@code affinity}). {@code shared} is the annotation's flag; Cilium exports a Service only when
 * it is also global ({@link #exports()}). Balanced affinity has no annotation: releases before the fix of
 * cilium/cilium#46623 read {@code affinity: none} as local backends only, so meshpilot never writes it.
 */
public record CiliumServiceConfig(boolean global, boolean shared, Affinity affinity) {

    public static final String GLOBAL = "service.cilium.io/global";
    public static final String SHARED = "service.cilium.io/shared";
    public static final String AFFINITY = "service.cilium.io/affinity";
    /** Legacy aliases Cilium still reads when the annotation itself is absent ({@code pkg/annotation/k8s.go}). */
    public static final String GLOBAL_ALIAS = "io.cilium/global-service";
    public static final String SHARED_ALIAS = "io.cilium/shared-service";
    public static final String AFFINITY_ALIAS = "io.cilium/service-affinity";
    /** The Cilium annotations meshpilot writes (a directive carries no others). */
    public static final Set<String> WRITTEN = Set.of(GLOBAL, SHARED, AFFINITY);
    /** The Cilium annotations meshpilot owns on a managed Service; it never writes the aliases, only removes them. */
    public static final Set<String> OWNED = Set.of(GLOBAL, SHARED, AFFINITY, GLOBAL_ALIAS, SHARED_ALIAS,
            AFFINITY_ALIAS);

    /** Cilium's defaults for a Service without annotations: local only. */
    public static final CiliumServiceConfig LOCAL_ONLY = new CiliumServiceConfig(false, true, Affinity.BALANCED);

    public static CiliumServiceConfig global(boolean shared, Affinity affinity) {
        return new CiliumServiceConfig(true, shared, affinity);
    }

    /** Whether Cilium exports this cluster's backends: global and shared (the Namespace may still forbid it). */
    public boolean exports() {
        return global && shared;
    }

    /**
     * The owned annotations that express this config, an immutable map without order; an owned annotation not in the
     * map is to be removed.
     *
     * @throws IllegalStateException for {@link Affinity#LOCAL_ONLY}, which no annotation meshpilot writes expresses
     */
    public Map<String, String> annotations() {
        Map<String, String> annotations = ANNOTATIONS.get(index(global, shared, affinity));
        if (annotations == null) {
            throw new IllegalStateException("meshpilot never writes an affinity that reads as local only");
        }
        return annotations;
    }

    // The configs meshpilot writes: their annotations are built once, as the engine asks for them on every decision.
    private static final List<Map<String, String>> ANNOTATIONS = allAnnotations();

    private static List<Map<String, String>> allAnnotations() {
        List<Map<String, String>> all = new ArrayList<>();
        for (boolean global : new boolean[] {false, true}) {
            for (boolean shared : new boolean[] {false, true}) {
                for (Affinity affinity : Affinity.values()) {
                    // at index(global, shared, affinity)
                    all.add(affinity == Affinity.LOCAL_ONLY ? null : build(global, shared, affinity));
                }
            }
        }
        return Collections.unmodifiableList(all);
    }

    private static int index(boolean global, boolean shared, Affinity affinity) {
        return ((global ? 2 : 0) + (shared ? 1 : 0)) * Affinity.values().length + affinity.ordinal();
    }

    private static Map<String, String> build(boolean global, boolean shared, Affinity affinity) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(GLOBAL, Boolean.toString(global));
        annotations.put(SHARED, Boolean.toString(shared));
        if (affinity != Affinity.BALANCED) {
            annotations.put(AFFINITY, affinity.name().toLowerCase(Locale.ROOT));
        }
        return Map.copyOf(annotations);
    }

    /** How a release of Cilium reads a Service's annotations, and what it warns about while doing so. */
    public record Reading(CiliumServiceConfig config, List<String> warnings) {

        public Reading {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Reads the annotations as the given Cilium release does ({@code pkg/annotation/clustermesh.go}): each annotation
     * is looked up before its legacy alias; {@code global} and {@code shared} are true only for {@code true} in any
     * case (any other value is false; an absent {@code shared} is true); {@code affinity} is read only on a global
     * Service, case-insensitively.
     */
    public static Reading read(Map<String, String> annotations, CiliumRelease release) {
        boolean global = lookup(annotations, GLOBAL, GLOBAL_ALIAS).map(CiliumServiceConfig::isTrue).orElse(false);
        boolean shared = lookup(annotations, SHARED, SHARED_ALIAS).map(CiliumServiceConfig::isTrue).orElse(true);
        List<String> warnings = new ArrayList<>();
        Affinity affinity = Affinity.BALANCED;
        Optional<String> value = lookup(annotations, AFFINITY, AFFINITY_ALIAS);
        if (global && value.isPresent()) {
            affinity = affinity(value.get(), release, warnings);
        }
        return new Reading(new CiliumServiceConfig(global, shared, affinity), warnings);
    }

    private static Affinity affinity(String value, CiliumRelease release, List<String> warnings) {
        String lower = value.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "" -> {
                return Affinity.BALANCED;
            }
            case "local" -> {
                return Affinity.LOCAL;
            }
            case "remote" -> {
                return Affinity.REMOTE;
            }
            default -> {
                if (!release.readsAffinityNoneAsBalanced()) {
                    return Affinity.LOCAL_ONLY;
                }
                if (!lower.equals("none")) {
                    warnings.add("unrecognized service affinity value: \"" + value + "\"");
                }
                return Affinity.BALANCED;
            }
        }
    }

    /** Reads the annotations as the release the conformance suite checks does ({@link CiliumRelease#CONFORMANCE}). */
    public static Optional<CiliumServiceConfig> fromAnnotations(Map<String, String> annotations) {
        return Optional.of(read(annotations, CiliumRelease.CONFORMANCE).config());
    }

    private static Optional<String> lookup(Map<String, String> annotations, String key, String alias) {
        String value = annotations.get(key);
        return Optional.ofNullable(value != null ? value : annotations.get(alias));
    }

    private static boolean isTrue(String value) {
        return value.toLowerCase(Locale.ROOT).equals("true");
    }
}
