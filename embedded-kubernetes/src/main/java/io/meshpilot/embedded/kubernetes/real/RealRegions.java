package io.meshpilot.embedded.kubernetes.real;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real regions shared by everything in this JVM: a region's control plane starts once (several seconds, several
 * processes) and is emptied for each new user instead of restarted. One user per region at a time: sandboxes and
 * tests in a JVM run one after another (a sandbox readies its regions side by side, see {@link #startAll}).
 */
public final class RealRegions {

    /**
     * A namespace with this label set to {@code true} keeps its labels and annotations through a reset: for a
     * namespace every user of the region sets up the same way anyway.
     */
    public static final String KEPT = "meshpilot.io/kept-by-reset";
    private static final Set<String> SYSTEM_NAMESPACES = Set.of("default", "kube-system", "kube-public",
            "kube-node-lease");
    private static final String METADATA_NAME = "kubernetes.io/metadata.name";
    private static final Map<String, RealApiServer> REGIONS = new HashMap<>();
    /** Regions started or emptied by {@link #startAll} and not handed out since. */
    private static final Set<String> FRESH = new HashSet<>();
    private static final String PREFIX = "meshpilot-kube-";
    private static final Logger LOG = LoggerFactory.getLogger(RealRegions.class);
    private static Path root;

    private RealRegions() {
    }

    /**
     * The region's control plane, started now or emptied of what an earlier user left in it: every workload, Service,
     * EndpointSlice, Endpoints, Event, Lease, ConfigMap, Secret, role and extra ServiceAccount in every namespace but
     * the system ones, and the labels and annotations of the namespaces not labelled {@value #KEPT}. A region {@link #startAll} just started or emptied is handed out as it is.
     */
    public static synchronized RealApiServer acquire(String name, int index) {
        RealApiServer region = REGIONS.get(name);
        if (region != null && region.isRunning()) {
            if (!FRESH.remove(name)) {
                reset(region);
            }
            return region;
        }
        if (region != null) {
            LOG.atWarn().addKeyValue("region", name).addKeyValue("logs", region.directory())
                    .log("a component of the real region exited; starting the region again");
            region.close();
        }
        Path dir = root().resolve(name);
        deleteQuietly(dir);
        region = RealApiServer.start(name, index, KubeBinaries.require(), dir);
        REGIONS.put(name, region);
        return region;
    }

    /** The region's control plane as its current user left it (not emptied), e.g. for a proxy in front of it. */
    public static synchronized RealApiServer running(String name) {
        RealApiServer region = REGIONS.get(name);
        if (region == null || !region.isRunning()) {
            throw new IllegalStateException("the real region " + name + " is not running");
        }
        return region;
    }

    /**
     * Readies these regions (name to index) side by side, so that a sandbox of several regions waits for the slowest,
     * not for their sum: those not running are started, those running are emptied; {@link #acquire} then hands them
     * out without emptying them again.
     */
    public static void startAll(Map<String, Integer> regions) {
        KubeBinaries binaries = KubeBinaries.require();
        Path base = root();
        List<CompletableFuture<RealApiServer>> readying = new ArrayList<>();
        synchronized (RealRegions.class) {
            regions.forEach((name, index) -> {
                RealApiServer region = REGIONS.get(name);
                FRESH.remove(name);
                if (region != null && region.isRunning()) {
                    readying.add(CompletableFuture.supplyAsync(() -> {
                        reset(region);
                        return region;
                    }));
                    return;
                }
                if (region != null) {
                    region.close();
                    REGIONS.remove(name);
                }
                readying.add(CompletableFuture.supplyAsync(() -> {
                    deleteQuietly(base.resolve(name));
                    return RealApiServer.start(name, index, binaries, base.resolve(name));
                }));
            });
        }
        RuntimeException failure = null;
        for (CompletableFuture<RealApiServer> ready : readying) {
            try {
                RealApiServer region = ready.join();
                synchronized (RealRegions.class) {
                    REGIONS.put(region.name(), region);
                    FRESH.add(region.name());
                }
            } catch (CompletionException e) {
                failure = e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * {@code <tmp>/meshpilot-kube-<pid>}: the components' data and logs. The components stop when this JVM ends
     * (see {@link ChildProcess}); what they leave is deleted by the next JVM that starts a region.
     */
    private static synchronized Path root() {
        if (root == null) {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            try (Stream<Path> runs = Files.list(tmp)) {
                runs.filter(RealRegions::leftByAnEndedJvm).forEach(RealRegions::deleteQuietly);
            } catch (IOException e) {
                // an old run's directory is harmless
            }
            root = tmp.resolve(PREFIX + ProcessHandle.current().pid());
            try {
                Files.createDirectories(root);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + root, e);
            }
        }
        return root;
    }

    private static boolean leftByAnEndedJvm(Path dir) {
        String name = dir.getFileName().toString();
        if (!name.startsWith(PREFIX)) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(name.substring(PREFIX.length()))).isEmpty();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Deleting tens of thousands of Events or Services in one request takes the API server longer than 10 s. */
    private static final int RESET_REQUEST_TIMEOUT_MILLIS = 120_000;

    /**
     * Empties every namespace but the system ones, side by side, instead of deleting them: the namespace controller
     * takes 5 to 12 s to delete one, emptying takes well under a second. A namespace not labelled {@value #KEPT} also
     * loses its labels and annotations, so it is as a new user would create it.
     */
    private static void reset(RealApiServer region) {
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
                region.clientConfig()).withRequestTimeout(RESET_REQUEST_TIMEOUT_MILLIS).build()).build()) {
            List<CompletableFuture<Void>> emptying = new ArrayList<>();
            for (Namespace namespace : client.namespaces().list().getItems()) {
                String name = namespace.getMetadata().getName();
                if (SYSTEM_NAMESPACES.contains(name)) {
                    continue;
                }
                emptying.add(CompletableFuture.runAsync(() -> {
                    if (!isKept(namespace)) {
                        client.namespaces().withName(name).patch(PatchContext.of(PatchType.JSON),
                                "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\""
                                        + METADATA_NAME + "\":\"" + name + "\"}},"
                                        + "{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{}}]");
                    }
                    empty(client, region, name);
                }));
            }
            emptying.add(CompletableFuture.runAsync(() -> empty(client, region, "default")));
            try {
                CompletableFuture.allOf(emptying.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
    }

    private static boolean isKept(Namespace namespace) {
        Map<String, String> labels = namespace.getMetadata().getLabels();
        return labels != null && "true".equals(labels.get(KEPT));
    }

    /** Deletes what a user may have left in a namespace, the API server's own {@code kubernetes} Service aside. */
    private static void empty(KubernetesClient client, RealApiServer region, String ns) {
        client.apps().deployments().inNamespace(ns).delete();
        client.apps().replicaSets().inNamespace(ns).delete();
        Poll.until("the ReplicaSets of " + region.name() + " to be deleted",
                () -> client.apps().replicaSets().inNamespace(ns).list().getItems().isEmpty());
        client.pods().inNamespace(ns).withGracePeriod(0).delete();
        deleteAllBut(client.services().inNamespace(ns).list().getItems(), "kubernetes", client);
        client.discovery().v1().endpointSlices().inNamespace(ns).delete();
        deleteAllBut(client.endpoints().inNamespace(ns).list().getItems(), "kubernetes", client);
        client.secrets().inNamespace(ns).delete();
        client.v1().events().inNamespace(ns).delete();
        client.leases().inNamespace(ns).delete();
        client.configMaps().inNamespace(ns).delete();
        client.rbac().roles().inNamespace(ns).delete();
        client.rbac().roleBindings().inNamespace(ns).delete();
        deleteAllBut(client.serviceAccounts().inNamespace(ns).list().getItems(), "default", client);
        Poll.until("the pods of " + region.name() + " to be deleted",
                () -> client.pods().inNamespace(ns).list().getItems().isEmpty());
    }

    private static void deleteAllBut(List<? extends HasMetadata> objects, String kept, KubernetesClient client) {
        objects.stream().filter(object -> !kept.equals(object.getMetadata().getName()))
                .forEach(object -> client.resource(object).delete());
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
