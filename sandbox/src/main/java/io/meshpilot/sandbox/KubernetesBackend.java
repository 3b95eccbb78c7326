package io.meshpilot.sandbox;

import io.meshpilot.embedded.kubernetes.real.KubeBinaries;
import java.util.Locale;

/**
 * Which Kubernetes API server a sandbox region runs: {@code real} (kube-apiserver, etcd, kube-controller-manager,
 * kube-scheduler and KWOK, built once from Go modules) or {@code embedded} (fabric8's mock server in CRUD mode, with
 * a workload simulator in place of the controllers).
 */
public enum KubernetesBackend {
    REAL, EMBEDDED;

    /** {@code real} when its binaries are built on this machine, {@code embedded} otherwise. */
    public static KubernetesBackend defaultBackend() {
        return KubeBinaries.installed().isPresent() ? REAL : EMBEDDED;
    }

    /** The backend a user asked for, or {@link #defaultBackend()} when the setting is empty. */
    public static KubernetesBackend choose(String setting) {
        return setting == null || setting.isBlank() ? defaultBackend() : parse(setting);
    }

    /** One line saying which backend runs and how to get the other. */
    public String banner() {
        return switch (this) {
            case REAL -> "real (kube-apiserver, etcd, kube-controller-manager, kube-scheduler, KWOK from "
                    + KubeBinaries.installed().map(KubeBinaries::directory).map(Object::toString)
                    .orElse(KubeBinaries.cacheRoot().toString()) + "); --kubernetes embedded runs fabric8's mock "
                    + "server instead";
            case EMBEDDED -> "embedded (fabric8's mock server: kubectl get and annotate work, apply, create, describe "
                    + "do not); --kubernetes real builds the real components once (Go needed, minutes; see "
                    + "docs/sandbox.md) and runs them";
        };
    }

    /** Parses {@code real} or {@code embedded}, naming the setting in the error. */
    public static KubernetesBackend parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--kubernetes must be real or embedded, got '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
