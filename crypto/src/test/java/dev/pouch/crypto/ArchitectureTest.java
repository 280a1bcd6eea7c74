package dev.pouch.crypto;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The crypto module stands alone: Bouncy Castle and the JDK, nothing from the layers above. */
@AnalyzeClasses(packages = "dev.pouch.crypto", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noFrameworks = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "io.netty..", "dev.pouch.protocol..", "dev.pouch.server..",
                    "dev.pouch.client..")
            .because("crypto is the bottom layer: Bouncy Castle and the JDK only");

    @ArchTest
    static final ArchRule documentsDoNotReachIntoInternals = noClasses().that().resideInAPackage("dev.pouch.crypto.document..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.pouch.crypto.internal..", "org.bouncycastle..")
            .because("the document vocabulary is plain Java that every layer can use");
}
