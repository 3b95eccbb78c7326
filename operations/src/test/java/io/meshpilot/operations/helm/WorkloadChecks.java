package io.meshpilot.operations.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.meshpilot.cli.Meshpilot;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** What every meshpilot workload the charts render must be: probed, restricted, sized, and protected by a PDB. */
final class WorkloadChecks {

    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Z_]+)");

    private WorkloadChecks() {
    }

    static void probedOnHealthzAndReadyz(Container container) {
        assertThat(container.getPorts()).anySatisfy(port -> assertThat(port.getName()).isEqualTo("http"));
        assertHttpProbe(container.getLivenessProbe(), "/healthz");
        assertHttpProbe(container.getStartupProbe(), "/healthz");
        assertHttpProbe(container.getReadinessProbe(), "/readyz");
    }

    private static void assertHttpProbe(Probe probe, String path) {
        assertThat(probe).as("probe on %s", path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    static void restricted(Deployment deployment) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).as("no fixed user id: the image has one, OpenShift assigns "
                + "its own").isNull();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        for (Container container : pod.getContainers()) {
            var security = container.getSecurityContext();
            assertThat(security.getAllowPrivilegeEscalation()).as(container.getName()).isFalse();
            assertThat(security.getReadOnlyRootFilesystem()).as(container.getName()).isTrue();
            assertThat(security.getPrivileged()).as(container.getName()).isFalse();
            assertThat(security.getCapabilities().getDrop()).as(container.getName()).containsExactly("ALL");
            assertThat(security.getCapabilities().getAdd()).as(container.getName()).isNullOrEmpty();
            assertThat(container.getVolumeMounts()).as("a writable /tmp for the JVM")
                    .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
        }
    }

    static void sized(Container container) {
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKey("memory");
    }

    static void protectedByDisruptionBudget(Manifests manifests) {
        PodDisruptionBudget budget = manifests.one(PodDisruptionBudget.class);
        assertThat(budget.getSpec().getSelector().getMatchLabels())
                .isEqualTo(manifests.one(Deployment.class).getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    }

    /** The environment variables a subcommand of the meshpilot command line reads (its options' and the global). */
    static Set<String> environmentOf(String subcommand) {
        CommandLine top = Meshpilot.commandLine().setInterpolateVariables(false);
        Set<String> names = new TreeSet<>();
        for (CommandLine command : new CommandLine[] {top, top.getSubcommands().get(subcommand)}) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                Matcher matcher = ENV.matcher(String.valueOf(option.defaultValue()));
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        }
        return names;
    }
}
