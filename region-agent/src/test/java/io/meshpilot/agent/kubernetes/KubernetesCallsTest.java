package io.meshpilot.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** How a failed call is told in a status message and a log line. */
class KubernetesCallsTest {

    @Test
    void anAnswerWithAStatusIsToldInTheApiServersWords() {
        assertThat(KubernetesCalls.describe(new KubernetesClientException(new StatusBuilder().withCode(409)
                .withMessage("the object has been modified").build())))
                .isEqualTo("API server answered 409: the object has been modified");
    }

    @Test
    void anAnswerWithACodeButNoStatusIsToldWithTheClientsMessage() {
        assertThat(KubernetesCalls.describe(new KubernetesClientException("Service Unavailable", 503, null)))
                .isEqualTo("API server answered 503: Service Unavailable");
    }

    @Test
    void anAnswerWhoseStatusHasNoMessageIsToldWithTheClientsMessage() {
        assertThat(KubernetesCalls.describe(new KubernetesClientException("Too Many Requests", 429,
                new StatusBuilder().withCode(429).build())))
                .isEqualTo("API server answered 429: Too Many Requests");
    }

    @Test
    void anAnswerWithNeitherIsToldByItsCode() {
        assertThat(KubernetesCalls.describe(new KubernetesClientException(null, 500, null)))
                .isEqualTo("API server answered 500");
    }
}
