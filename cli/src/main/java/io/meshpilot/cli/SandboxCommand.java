package io.meshpilot.cli;

import io.meshpilot.sandbox.KubernetesBackend;
import io.meshpilot.sandbox.Sandbox;
import io.meshpilot.sandbox.SandboxRegion;
import io.meshpilot.sandbox.SandboxSettings;
import io.meshpilot.schemas.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "sandbox",
        description = "Run everything on this machine: Kafka, a Kubernetes API server, workload and agent per "
                + "region, and the control plane, until interrupted.")
final class SandboxCommand implements Callable<Integer> {

    @Option(names = "--regions", paramLabel = "NAME[,...]", split = ",",
            defaultValue = "${env:MESHPILOT_SANDBOX_REGIONS:-us,eu}",
            description = "Regions to run (env MESHPILOT_SANDBOX_REGIONS; default: ${DEFAULT-VALUE}).")
    List<String> regions;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "${env:MESHPILOT_SANDBOX_KAFKA}",
            description = "Use this Kafka instead of the embedded broker (env MESHPILOT_SANDBOX_KAFKA).")
    String kafka;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:MESHPILOT_SANDBOX_STATE_DIR:-.meshpilot/sandbox}",
            description = "Where kubeconfigs are written (env MESHPILOT_SANDBOX_STATE_DIR; default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "${env:MESHPILOT_SANDBOX_REPLICAS:-2}",
            description = "hello-world replicas per region at start (env MESHPILOT_SANDBOX_REPLICAS; "
                    + "default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:MESHPILOT_HTTP_PORT:-8080}",
            description = "The control plane's HTTP port on 127.0.0.1 (env MESHPILOT_HTTP_PORT; "
                    + "default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--kubernetes", paramLabel = "real|embedded", defaultValue = "${env:MESHPILOT_SANDBOX_KUBERNETES}",
            description = "Each region's Kubernetes: real (kube-apiserver, etcd, controllers, KWOK; built once from Go "
                    + "modules) or embedded (fabric8's mock server) (env MESHPILOT_SANDBOX_KUBERNETES; default: real "
                    + "when its binaries are built, else embedded).")
    String kubernetes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        KubernetesBackend backend = KubernetesBackend.choose(kubernetes);
        Sandbox sandbox = Sandbox.start(new SandboxSettings(regions, Optional.ofNullable(kafka), Topics.defaults(),
                stateDir, replicas, httpPort, backend), Clock.systemUTC());
        var out = spec.commandLine().getOut();
        out.println("meshpilot sandbox is ready (" + sandbox.stateDir().resolve("ready") + "); Ctrl-C stops it.");
        out.println("  Kubernetes:    " + backend.banner());
        out.println("  Kafka:         " + sandbox.bootstrapServers() + "   (" + sandbox.stateDir()
                .resolve("kafka.properties") + ")");
        out.println("  topics:        " + Topics.defaults().prefix() + ".<region>.{health,heartbeat,directives,status}, "
                + Topics.defaults().policies() + ", " + Topics.defaults().policyStatus() + ", "
                + Topics.defaults().decisions() + ", " + Topics.defaults().deadLetter());
        out.println("  control plane: " + sandbox.controlPlaneUrl() + "   (meshpilot explain default/hello-world --url "
                + sandbox.controlPlaneUrl() + ")");
        for (SandboxRegion region : sandbox.regions()) {
            out.printf("  region %-6s API server %s   (kubectl --kubeconfig %s get services)%n", region.name(),
                    region.apiServer().url(), region.kubeconfig());
            out.printf("                agent metrics http://127.0.0.1:%d/metrics%n", region.agentHttpPort());
        }
        out.println("  Prometheus:    prometheus --config.file=" + sandbox.stateDir().resolve("prometheus.yml"));
        out.flush();
        return UntilStopped.run(sandbox);
    }
}
