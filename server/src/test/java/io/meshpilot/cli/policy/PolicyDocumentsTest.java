package io.meshpilot.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PolicyDocumentsTest {

    @Test
    void readsSeveralYamlDocumentsEachWithItsScope() {
        var documents = PolicyDocuments.parse("""
                scope: "*"
                failbackDelaySeconds: 60
                ---
                apiVersion: meshpilot.io/v1
                kind: TrafficPolicy
                scope: default/hello-world
                mode: auto
                drain: [us]
                """, "policies.yaml");

        assertThat(documents).extracting(PolicyDocuments.Document::scope).containsExactly("*", "default/hello-world");
        assertThat(new String(documents.get(0).json(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"apiVersion\":\"meshpilot.io/v1\",\"kind\":\"TrafficPolicy\",\"scope\":\"*\",\"failbackDelaySeconds\":60}");
        assertThat(new String(documents.get(1).json(), StandardCharsets.UTF_8)).contains("\"drain\":[\"us\"]");
    }

    @Test
    void readsJson() {
        assertThat(PolicyDocuments.parse("{\"scope\": \"team-a/*\", \"mode\": \"local\"}", "p.json"))
                .singleElement().satisfies(document -> assertThat(document.scope()).isEqualTo("team-a/*"));
    }

    @Test
    void requiresEachDocumentToNameAValidScope() {
        assertThatThrownBy(() -> PolicyDocuments.parse("mode: auto\n", "p.yaml"))
                .hasMessage("p.yaml, document 1: scope is required (<namespace>/<service>, <namespace>/* or *)");
        assertThatThrownBy(() -> PolicyDocuments.parse("scope: \"*\"\n---\nscope: a/b/c\n", "p.yaml"))
                .hasMessage("p.yaml, document 2: scope 'a/b/c' must be <namespace>/<service>, <namespace>/* or *");
    }

    @Test
    void saysWhenTheFileIsNotYaml() {
        assertThatThrownBy(() -> PolicyDocuments.parse("scope: [unclosed", "p.yaml"))
                .hasMessageStartingWith("p.yaml: not valid YAML or JSON:");
        assertThatThrownBy(() -> PolicyDocuments.parse("", "p.yaml")).hasMessage("p.yaml: no policy document");
    }
}
