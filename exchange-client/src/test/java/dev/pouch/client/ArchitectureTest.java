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

    @ArchTest
    static final ArchRule libraryKnowsNoCommand = noClasses().that().resideInAPackage("dev.pouch.client")
            .should().dependOnClassesThat().resideInAnyPackage("dev.pouch.client.cli..", "dev.pouch.client.bench..", "picocli..",
                    "me.tongfei..")
            .because("the command line and the load generator are built on the library, not the other way round");
}
