package io.meshpilot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.schemas.Topics;
import io.meshpilot.testing.DebianPackages;
import io.meshpilot.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, point 3: the real kubectl against a real sandbox region works as on a real cluster: apply -f, create,
 * get with the server's tables, describe with the agent's Events, label, annotate, scale, rollout status, get
 * endpointslices, auth can-i, delete; and meshpilot reacts to what kubectl changed.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KubectlOnRealKubernetesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String AFFINITY = "jsonpath={.metadata.annotations.service\\.cilium\\.io/affinity}";

    @Test
    void kubectlWorksAsOnARealCluster(EmbeddedKafkaBroker kafka, Topics topics, @TempDir Path stateDir)
            throws Exception {
        Path kubectl = DebianPackages.require("kubectl", "kubectl");
        try (Sandbox sandbox = Sandbox.start(new SandboxSettings(List.of("us", "eu"),
                Optional.of(kafka.bootstrapServers()), topics, stateDir, 2, 0, KubernetesBackend.REAL),
                Clock.systemUTC())) {
            Kubectl us = new Kubectl(kubectl, stateDir.resolve("us.kubeconfig"));

            assertThat(us.run("get", "services")).contains("NAME", "TYPE", "CLUSTER-IP", "PORT(S)", "hello-world",
                    "ClusterIP", "80/TCP");
            assertThat(us.run("rollout", "status", "deployment/hello-world", "--timeout=60s"))
                    .contains("successfully rolled out");
            assertThat(us.run("get", "deployments")).contains("READY", "UP-TO-DATE", "AVAILABLE", "hello-world",
                    "2/2");
            assertThat(us.run("get", "pods")).contains("Running", "1/1");
            await().atMost(WAIT).untilAsserted(() -> assertThat(us.run("get", "service", "hello-world", "-o",
                    AFFINITY)).isEqualTo("local"));

            Path manifest = stateDir.resolve("web.yaml");
            Files.writeString(manifest, WEB);
            assertThat(us.run("apply", "-f", manifest.toString()))
                    .contains("deployment.apps/web created", "service/web created");
            assertThat(us.run("rollout", "status", "deployment/web", "--timeout=60s"))
                    .contains("successfully rolled out");
            await().atMost(WAIT).untilAsserted(() -> assertThat(us.run("get", "endpointslices", "-l",
                    "kubernetes.io/service-name=web")).contains("ADDRESSTYPE", "IPv4", "8080", "10.1."));
            assertThat(us.run("apply", "-f", manifest.toString())).contains("deployment.apps/web unchanged");

            assertThat(us.run("create", "deployment", "api", "--image=docker.io/cilium/json-mock:1.2",
                    "--replicas=1")).contains("deployment.apps/api created");
            assertThat(us.run("create", "service", "clusterip", "api", "--tcp=80:8080"))
                    .contains("service/api created");

            assertThat(us.run("label", "service", "web", "meshpilot.io/managed=true"))
                    .contains("service/web labeled");
            await().atMost(WAIT).untilAsserted(() -> assertThat(us.run("get", "service", "web", "-o", AFFINITY))
                    .isEqualTo("local"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(us.run("describe", "service", "web"))
                    .contains("Annotations:", "service.cilium.io/global: true", "Events:", "AffinityChanged"));

            assertThat(us.run("annotate", "service", "hello-world", "team=edge"))
                    .contains("service/hello-world annotated");
            assertThat(us.run("get", "service", "hello-world", "-o", "jsonpath={.metadata.annotations.team}"))
                    .isEqualTo("edge");

            assertThat(us.run("scale", "deployment", "hello-world", "--replicas=0"))
                    .contains("deployment.apps/hello-world scaled");
            await().atMost(WAIT).untilAsserted(() -> assertThat(us.run("get", "service", "hello-world", "-o",
                    AFFINITY)).isEqualTo("remote"));
            assertThat(us.run("describe", "service", "hello-world")).contains("AffinityChanged", "local-degraded");

            assertThat(us.run("auth", "can-i", "patch", "services")).isEqualTo("yes");
            assertThat(us.runAllowingFailure("auth", "can-i", "patch", "deployments",
                    "--as=system:serviceaccount:default:nobody")).isEqualTo("no");

            assertThat(us.run("delete", "service", "api")).contains("service \"api\" deleted");
            assertThat(us.run("delete", "deployment", "api")).contains("deployment.apps \"api\" deleted");
            assertThat(us.run("get", "services", "-o", "name")).doesNotContain("service/api");
        }
    }

    private static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web}
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: echo
                    image: docker.io/cilium/json-mock:1.2
                    ports:
                    - containerPort: 8080
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              selector: {app: web}
              ports:
              - name: http
                port: 80
                targetPort: 8080
            """;

    /** The real kubectl with a region's kubeconfig, as a user runs it. */
    record Kubectl(Path kubectl, Path kubeconfig) {

        String run(String... arguments) throws IOException, InterruptedException {
            Result result = execute(arguments);
            assertThat(result.exitCode()).as(String.join(" ", arguments) + ": " + result.output()).isZero();
            return result.output();
        }

        /** For commands whose answer is their exit code too, such as {@code auth can-i} saying no. */
        String runAllowingFailure(String... arguments) throws IOException, InterruptedException {
            return execute(arguments).output();
        }

        private Result execute(String... arguments) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString(),
                    "--request-timeout=30s"));
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
            return new Result(process.exitValue(), output.trim());
        }
    }

    record Result(int exitCode, String output) {
    }
}
