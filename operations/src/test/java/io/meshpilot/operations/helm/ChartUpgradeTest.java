package io.meshpilot.operations.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code helm upgrade -f values.yaml} from the previous chart version: the values file an operator kept from 0.1.0
 * (that chart's complete values.yaml, {@code src/test/resources/helm/previous/0.1.0/}) still passes the new schema
 * and renders the same workload settings. When a release changes the values, add its values.yaml there as the next
 * "previous".
 */
class ChartUpgradeTest {

    private static final String PREVIOUS = "0.1.0";

    @ParameterizedTest
    @ValueSource(strings = {"meshpilot-agent", "meshpilot-control-plane"})
    void thePreviousVersionsValuesRenderWithTheNewChart(String name) {
        Manifests upgraded = ChartExtensionsTest.render(name, previousValues(name), java.util.Map.of());
        Manifests fresh = ChartExtensionsTest.render(name, null, java.util.Map.of());

        assertThat(upgraded.env()).isEqualTo(fresh.env());
        Deployment deployment = upgraded.one(Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(fresh.one(Deployment.class).getSpec().getReplicas());
        assertThat(upgraded.container().getImage()).isEqualTo(fresh.container().getImage());
        WorkloadChecks.probedOnHealthzAndReadyz(upgraded.container());
        WorkloadChecks.restricted(deployment);
        assertThat(upgraded.kinds()).containsExactlyInAnyOrderElementsOf(fresh.kinds());
    }

    private static Path previousValues(String name) {
        try {
            return Path.of(ChartUpgradeTest.class.getResource("/helm/previous/" + PREVIOUS + "/" + name
                    + "-values.yaml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
