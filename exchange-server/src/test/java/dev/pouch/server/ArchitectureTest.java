package dev.pouch.server;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The server sits on protocol and crypto and is packaged by feature: the edges (the exchange
 * endpoint, the REST controllers) call into the features, never the other way round, and each
 * outside technology stays with the feature that needs it.
 */
@AnalyzeClasses(packages = "dev.pouch.server", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noBouncyCastle = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("org.bouncycastle..", "dev.pouch.crypto.internal..")
            .because("only the crypto module imports Bouncy Castle");

    @ArchTest
    static final ArchRule noClient = noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.pouch.client..")
            .because("dependencies point client/server -> protocol -> crypto");

    @ArchTest
    static final ArchRule featuresDoNotReachTheWeb = noClasses().that().resideOutsideOfPackage("dev.pouch.server.web..")
            .should().dependOnClassesThat().resideInAPackage("dev.pouch.server.web..")
            .because("REST is an edge: features throw their own exceptions and the web package maps them");

    @ArchTest
    static final ArchRule featuresDoNotReachTheEndpoint = noClasses()
            .that().resideOutsideOfPackages("dev.pouch.server.transport..", "dev.pouch.server.config..")
            .should().dependOnClassesThat().resideInAPackage("dev.pouch.server.transport..")
            .because("the exchange endpoint is an edge that calls the features");

    @ArchTest
    static final ArchRule nettyStaysAtTheEdge = noClasses()
            .that().resideOutsideOfPackages("dev.pouch.server.transport..", "dev.pouch.server.config..")
            .should().dependOnClassesThat().resideInAPackage("io.netty..")
            .because("features work on messages, not channels");

    @ArchTest
    static final ArchRule brokerStaysWithRouting = noClasses()
            .that().resideOutsideOfPackages("dev.pouch.server.routing..", "dev.pouch.server.delivery..", "dev.pouch.server.config..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.activemq..")
            .because("only routing puts documents on queues and only delivery takes them off");

    @ArchTest
    static final ArchRule tikaStaysWithInspection = noClasses().that().resideOutsideOfPackage("dev.pouch.server.submission..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.tika..")
            .because("files are inspected in one place, with its bounds on time, memory and output");
}
