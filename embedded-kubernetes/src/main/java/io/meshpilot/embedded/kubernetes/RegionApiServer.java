package io.meshpilot.embedded.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The Kubernetes API server of one sandbox or test region: a real kube-apiserver with its controllers and KWOK, or
 * fabric8's mock server. Either gives clients an admin configuration and kubectl a kubeconfig file.
 */
public interface RegionApiServer extends AutoCloseable {

    /** The region's (cluster's) name, as its kubeconfig names it. */
    String name();

    /** The server's address, {@code https://127.0.0.1:<port>} or {@code http://127.0.0.1:<port>}. */
    String url();

    /** What an admin client needs to reach this server; it reads nothing from {@code ~/.kube} or the environment. */
    Config clientConfig();

    /** The kubeconfig document of an admin of this server. */
    String kubeconfig();

    /** A new admin client of this server; the caller closes it. */
    default KubernetesClient newClient() {
        return new KubernetesClientBuilder().withConfig(clientConfig()).build();
    }

    /** Writes {@link #kubeconfig()} to a file readable only by its owner, for kubectl or an agent. */
    default Path writeKubeconfig(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, kubeconfig());
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write kubeconfig " + file, e);
        }
    }

    @Override
    void close();
}
