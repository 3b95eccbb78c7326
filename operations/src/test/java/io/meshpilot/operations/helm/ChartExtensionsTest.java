package io.meshpilot.operations.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.meshpilot.operations.ProjectFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an operator adds to either chart without forking it: environment, arguments, volumes, probes, security
 * contexts, a network policy; and the charts as subcharts of an umbrella chart, on the Kubernetes versions they
 * declare.
 */
class ChartExtensionsTest {

    private static final String EXTRAS = """
            extraEnv:
              - name: HTTPS_PROXY
                value: http://proxy:3128
            extraArgs: ["--log-level=debug"]
            extraVolumes:
              - name: ca
                configMap:
                  name: corporate-ca
            extraVolumeMounts:
              - name: ca
                mountPath: /etc/ssl/corporate
                readOnly: true
            livenessProbe:
              periodSeconds: 30
              failureThreshold: 5
            readinessProbe:
              exec:
                command: ["true"]
            podSecurityContext:
              runAsNonRoot: true
              runAsUser: 1000710000
              seccompProfile:
                type: RuntimeDefault
            securityContext:
              allowPrivilegeEscalation: false
              readOnlyRootFilesystem: true
              privileged: false
              capabilities:
                drop: ["ALL"]
              runAsGroup: 0
            """;

    @ParameterizedTest
    @ValueSource(strings = {"meshpilot-agent", "meshpilot-control-plane"})
    void extraEnvArgsVolumesProbesAndSecurityContextsReachThePod(String name, @TempDir Path work)
            throws IOException {
        Manifests manifests = render(name, Files.writeString(work.resolve("values.yaml"), EXTRAS), Map.of());

        Container container = manifests.container();
        PodSpec pod = manifests.one(Deployment.class).getSpec().getTemplate().getSpec();
        assertThat(manifests.env()).containsEntry("HTTPS_PROXY", "http://proxy:3128");
        assertThat(container.getArgs()).hasSize(2).endsWith("--log-level=debug");
        assertThat(pod.getVolumes()).filteredOn(volume -> volume.getConfigMap() != null).singleElement()
                .satisfies(volume -> assertThat(volume.getConfigMap().getName()).isEqualTo("corporate-ca"));
        assertThat(container.getVolumeMounts()).extracting(mount -> mount.getMountPath())
                .contains("/tmp", "/etc/ssl/corporate");
        assertThat(container.getLivenessProbe().getPeriodSeconds()).isEqualTo(30);
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(container.getReadinessProbe().getExec().getCommand()).containsExactly("true");
        assertThat(container.getReadinessProbe().getHttpGet()).isNull();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000710000L);
        assertThat(container.getSecurityContext().getRunAsGroup()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"meshpilot-agent", "meshpilot-control-plane"})
    void theDefaultPodFixesNoUserIdSoOpenShiftCanAssignOne(String name) {
        PodSpec pod = render(name, null, Map.of()).one(Deployment.class).getSpec().getTemplate().getSpec();

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isNull();
        assertThat(pod.getSecurityContext().getFsGroup()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"meshpilot-agent", "meshpilot-control-plane"})
    void aNetworkPolicyAdmitsOnlyTheNamedPeersToTheHttpPort(String name) {
        Manifests byDefault = render(name, null, Map.of("networkPolicy.enabled", true));
        NetworkPolicy policy = byDefault.one(NetworkPolicy.class);
        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(byDefault.one(Deployment.class).getSpec().getSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts()).singleElement().satisfies(port ->
                    assertThat(port.getPort().getStrVal()).isEqualTo("http"));
            assertThat(rule.getFrom()).singleElement().satisfies(peer ->
                    assertThat(peer.getPodSelector().getMatchLabels()).isNullOrEmpty());
        });

        Manifests named = render(name, null, Map.of("networkPolicy.enabled", true,
                "networkPolicy.from[0].namespaceSelector.matchLabels.name", "monitoring"));
        assertThat(named.one(NetworkPolicy.class).getSpec().getIngress().get(0).getFrom()).singleElement()
                .satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                        .containsEntry("name", "monitoring"));

        assertThat(render(name, null, Map.of()).all(NetworkPolicy.class)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"meshpilot-agent", "meshpilot-control-plane"})
    void aCiliumNetworkPolicyIsTheOption(String name) {
        Manifests manifests = render(name, null, Map.of("networkPolicy.enabled", true,
                "networkPolicy.flavor", "cilium"));

        assertThat(manifests.all(NetworkPolicy.class)).isEmpty();
        GenericKubernetesResource policy = manifests.generic("CiliumNetworkPolicy").get(0);
        assertThat(policy.getApiVersion()).isEqualTo("cilium.io/v2");
        assertThat(policy.get("spec", "endpointSelector", "matchLabels").toString())
                .contains("app.kubernetes.io/name=" + name);
        assertThat(policy.get("spec", "ingress", 0, "fromEndpoints", 0, "matchLabels").toString())
                .isEqualTo("{k8s:io.kubernetes.pod.namespace=" + HelmChart.NAMESPACE + "}");
        assertThat((String) policy.get("spec", "ingress", 0, "toPorts", 0, "ports", 0, "port")).isEqualTo("8080");
        assertThatThrownBy(() -> render(name, null, Map.of("networkPolicy.enabled", true,
                "networkPolicy.flavor", "calico"))).hasMessageContaining("flavor");
    }

    @Test
    void bothChartsInstallAsSubchartsOfAnUmbrellaChartWithGlobalValues(@TempDir Path work) throws IOException {
        Path umbrella = work.resolve("meshpilot-region");
        Files.createDirectories(umbrella.resolve("charts"));
        Files.writeString(umbrella.resolve("Chart.yaml"), """
                apiVersion: v2
                name: meshpilot-region
                version: 1.0.0
                dependencies:
                  - name: meshpilot-agent
                    version: "*"
                  - name: meshpilot-control-plane
                    version: "*"
                """);
        Files.writeString(umbrella.resolve("values.yaml"), """
                global:
                  imageRegistry: registry.example.com
                meshpilot-agent:
                  region: us
                  kafka:
                    bootstrapServers: kafka.kafka:9092
                meshpilot-control-plane:
                  kafka:
                    bootstrapServers: kafka.kafka:9092
                """);
        for (String chart : List.of("meshpilot-agent", "meshpilot-control-plane")) {
            copyTree(ProjectFiles.chart(chart), umbrella.resolve("charts").resolve(chart));
        }

        String rendered = new Helm(umbrella).template().withName("mesh").withNamespace(HelmChart.NAMESPACE)
                .withKubeVersion(HelmChart.KUBERNETES_VERSION).call();

        assertThat(Manifests.parse(rendered).all(Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("mesh-meshpilot-agent", "mesh-meshpilot-control-plane");
    }

    @ParameterizedTest
    @ValueSource(strings = {"meshpilot-agent", "meshpilot-control-plane"})
    void theChartsDeclareTheKubernetesVersionsTheyRenderFor(String name) {
        assertThat(HelmChart.readYaml(ProjectFiles.chart(name).resolve("Chart.yaml")))
                .containsEntry("kubeVersion", ">=1.25.0-0");
        TemplateOnOldKubernetes old = () -> {
            var command = new Helm(ProjectFiles.chart(name)).template().withName(name).withKubeVersion("1.24.0");
            required(name).forEach(command::set);
            return command.call();
        };
        assertThatThrownBy(old::render).hasMessageContaining("kubeVersion");
    }

    private interface TemplateOnOldKubernetes {
        String render();
    }

    static Manifests render(String name, Path values, Map<String, Object> sets) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(required(name));
        all.putAll(sets);
        return HelmChart.named(name).render(values == null ? List.of() : List.of(values), all);
    }

    static Map<String, Object> required(String name) {
        return name.equals("meshpilot-agent") ? Map.of("region", "us", "kafka.bootstrapServers", "kafka.kafka:9092")
                : Map.of("kafka.bootstrapServers", "kafka.kafka:9092");
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
