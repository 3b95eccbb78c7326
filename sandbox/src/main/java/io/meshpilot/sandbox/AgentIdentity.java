package io.meshpilot.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.meshpilot.embedded.kubernetes.real.RealRegions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Who a real sandbox region's agent is: the agent chart's ServiceAccount, bound to exactly the RBAC the chart renders
 * ({@value #RESOURCE}, checked against {@code helm template} by the operations module's tests), and a token of it
 * from the TokenRequest API. Not an admin: a write the chart does not grant is forbidden, as in a real install.
 */
public final class AgentIdentity {

    public static final String RESOURCE = "agent-rbac.yaml";
    /** The chart's release namespace and ServiceAccount (release meshpilot-agent, as docs/install.md installs it). */
    public static final String NAMESPACE = "meshpilot";
    public static final String SERVICE_ACCOUNT = "meshpilot-agent";
    private static final long TOKEN_SECONDS = 24 * 3600;
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private AgentIdentity() {
    }

    /** The chart's ServiceAccount and RBAC objects, as the sandbox applies them. */
    public static List<HasMetadata> objects() {
        try (InputStream in = AgentIdentity.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            List<HasMetadata> objects = new ArrayList<>();
            for (String document : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("(?m)^---\\s*$")) {
                if (document.lines().anyMatch(line -> line.startsWith("kind:"))) {
                    objects.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
                }
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Applies the ServiceAccount and its RBAC with an admin client and returns a token of the ServiceAccount. */
    public static String install(KubernetesClient admin) {
        admin.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                .addToLabels(RealRegions.KEPT, "true").endMetadata().build())
                .forceConflicts().serverSideApply();
        for (HasMetadata object : objects()) {
            admin.resource(object).forceConflicts().serverSideApply();
        }
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(TOKEN_SECONDS)
                .endSpec().build();
        return admin.serviceAccounts().inNamespace(NAMESPACE).withName(SERVICE_ACCOUNT).tokenRequest(request)
                .getStatus().getToken();
    }
}
