package dev.pouch.client.bench;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Which exchange the bench runs against: one it starts from the packaged jar, or a running one. */
final class ServerOptions {

    @Option(names = "--start-server", description = "Start a fresh server from the packaged jar for the run, and stop it at the end.")
    boolean startServer;

    @Option(names = "--server-jar", paramLabel = "JAR",
            description = "The server jar (default: exchange-server/target/pouch-exchange-server-*.jar below the working directory).")
    Path serverJar;

    @Option(names = "--server-heap", paramLabel = "SIZE", defaultValue = "256m", description = "-Xmx of the started server (default ${DEFAULT-VALUE}).")
    String serverHeap;

    @Option(names = "--server-arg", paramLabel = "ARG", description = "An extra argument for the started server (repeatable), "
            + "e.g. --server-arg=--pouch.exchange.worker-threads=16.")
    List<String> serverArgs = new ArrayList<>();

    @Option(names = "--server-jvm-option", paramLabel = "OPTION", description = "A JVM option for the started server (repeatable), "
            + "e.g. --server-jvm-option=-XX:StartFlightRecording=filename=server.jfr.")
    List<String> serverJvmOptions = new ArrayList<>();

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "The exchange endpoint of a running server.")
    String server;

    @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "8443", description = "HTTPS port of that server's REST API (default ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "That server's data folder (demo credentials, organization keys).")
    Path dataDir;

    @Option(names = "--admin-credentials", paramLabel = "P12",
            description = "An administrator's credentials (default: DIR/demo/HQ-GO-admin.p12, password in the .password file beside it).")
    Path adminCredentials;

    @Option(names = "--organization-keys", paramLabel = "P12",
            description = "Every organization's keys (default: DIR/demo/organization-keys.p12), unless they are enrolled afresh.")
    Path organizationKeys;

    @Option(names = "--enrol-organization-keys", negatable = true, description = "Generate each organization's keys and have "
            + "the exchange certify them (re-keying the organizations: only on a server of its own). Default: with --start-server.")
    Boolean enrolOrganizationKeys;
}
