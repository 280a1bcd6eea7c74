package dev.pouch.protocol;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** protocol sits on crypto and Netty; it never reaches Bouncy Castle, crypto internals, or the layers above. */
@AnalyzeClasses(packages = "dev.pouch.protocol", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noBouncyCastle = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("org.bouncycastle..", "dev.pouch.crypto.internal..")
            .because("only the crypto module imports Bouncy Castle");

    @ArchTest
    static final ArchRule noUpperLayers = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "dev.pouch.server..", "dev.pouch.client..")
            .because("dependencies point client/server -> protocol -> crypto");

    @ArchTest
    static final ArchRule messagesAreNettyFree = noClasses().that().resideInAPackage("dev.pouch.protocol.message..")
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..")
            .because("messages are plain immutable values the application can use anywhere");
}
