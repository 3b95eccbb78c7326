package io.meshpilot.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The domain stays plain Java: no Kafka, Kubernetes, Vert.x, Jackson or any other library type. */
@AnalyzeClasses(packages = "io.meshpilot.core", importOptions = ImportOption.DoNotIncludeTests.class)
class DomainBoundaryTest {

    @ArchTest
    static final ArchRule domainDependsOnlyOnTheJdk = classes()
            .that().resideInAPackage("io.meshpilot.core..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.meshpilot.core..", "java..")
            .because("health evaluation, the decision engine and the routing model are pure Java (SPEC §2)");
}
