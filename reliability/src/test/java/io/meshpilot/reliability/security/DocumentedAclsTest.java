package io.meshpilot.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Test;

/** The ACL tables of docs/install.md read as the security tests grant them. */
class DocumentedAclsTest {

    @Test
    void anAgentGetsItsOwnTopicsOnly() {
        List<String> acls = describe(DocumentedAcls.of("User:meshpilot-agent-<region>", "User:meshpilot-agent-us",
                List.of("us")));

        assertThat(acls).containsExactlyInAnyOrder(
                "TOPIC LITERAL meshpilot.us.health WRITE", "TOPIC LITERAL meshpilot.us.health READ",
                "TOPIC LITERAL meshpilot.us.health DESCRIBE",
                "TOPIC LITERAL meshpilot.us.heartbeat WRITE", "TOPIC LITERAL meshpilot.us.heartbeat DESCRIBE",
                "TOPIC LITERAL meshpilot.us.status WRITE", "TOPIC LITERAL meshpilot.us.status DESCRIBE",
                "TOPIC LITERAL meshpilot.us.directives READ", "TOPIC LITERAL meshpilot.us.directives DESCRIBE",
                "TOPIC LITERAL meshpilot.deadletter WRITE", "TOPIC LITERAL meshpilot.deadletter DESCRIBE");
    }

    @Test
    void theControlPlaneGetsEveryRegionsDirectivesItsGroupsAndTransactionalIds() {
        List<String> acls = describe(DocumentedAcls.of("User:meshpilot-control-plane", "User:meshpilot-control-plane",
                List.of("us", "eu")));

        assertThat(acls).contains("TOPIC PREFIXED meshpilot. READ", "TOPIC LITERAL meshpilot.us.directives WRITE",
                "TOPIC LITERAL meshpilot.eu.directives WRITE", "TOPIC LITERAL meshpilot.policy-status WRITE",
                "GROUP PREFIXED meshpilot.control-plane READ",
                "TRANSACTIONAL_ID PREFIXED meshpilot.control-plane WRITE")
                .doesNotContain("TOPIC LITERAL meshpilot.policies WRITE", "TOPIC PREFIXED meshpilot. WRITE");
    }

    private static List<String> describe(List<AclBinding> bindings) {
        return bindings.stream().map(binding -> binding.pattern().resourceType() + " "
                + binding.pattern().patternType() + " " + binding.pattern().name() + " "
                + binding.entry().operation()).toList();
    }
}
