package dev.pouch.client;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The client sits on protocol and crypto only: no Bouncy Castle, nothing of the server. */
@AnalyzeClasses(packages = "dev.pouch.client", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noBouncyCastle = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("org.bouncycastle..", "dev.pouch.crypto.internal..")
            .because("only the crypto module imports Bouncy Castle");

    @ArchTest
    static final ArchRule noServer = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("dev.pouch.server..", "org.springframework..", "org.apache.activemq..")
            .because("dependencies point client/server -> protocol -> crypto");
}
