package io.meshpilot.controlplane;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The shard (world model, policy book and statuses, decisions, the shard's records and results) is plain Java: no
 * Kafka, Vert.x or Prometheus type, so every handler can be tested by calling it. The runtime (package {@code runtime})
 * owns I/O, threads, transactions and serialization.
 */
@AnalyzeClasses(packages = "io.meshpilot.controlplane", importOptions = ImportOption.DoNotIncludeTests.class)
class ShardBoundaryTest {

    @ArchTest
    static final ArchRule shardIsPlainJava = classes()
            .that().resideInAnyPackage("..controlplane.shard..", "..controlplane.decisions..",
                    "..controlplane.policy..", "..controlplane.world..", "..controlplane.practice..")
            .and().doNotHaveSimpleName("WorldGauges")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.meshpilot.core..",
                    "io.meshpilot.schemas..", "io.meshpilot.controlplane.shard..",
                    "io.meshpilot.controlplane.decisions..", "io.meshpilot.controlplane.policy..",
                    "io.meshpilot.controlplane.world..", "io.meshpilot.controlplane.practice..",
                    "io.meshpilot.runtime.timers..", "org.slf4j..")
            .because("the shard replays typed records and returns typed results; the runtime does the I/O "
                    + "(docs/architecture.md)");
}
