package dev.pouch.client.cli;

import dev.pouch.client.ClientException;
import dev.pouch.client.ExchangeApi;
import dev.pouch.client.ExchangeClient;
import dev.pouch.crypto.Password;
import dev.pouch.crypto.pki.Credentials;
import picocli.CommandLine.Option;

import java.io.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;

/**
 * Who is speaking and to which exchange: the options every command that talks to the exchange
 * shares. Each has an environment variable, so an office sets them once.
 */
public final class ClientOptions {

    @Option(names = {"-c", "--credentials"}, paramLabel = "FILE", defaultValue = "${env:POUCH_CREDENTIALS}",
            description = "Your credentials (PKCS#12), e.g. data/demo/HQ-EUR-wang.fang.p12. Default: $POUCH_CREDENTIALS.")
    Path credentials;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File holding the credentials' password. Default: $POUCH_PASSWORD, else a .password file beside"
                    + " the credentials (as the demo writes them), else asked on the terminal.")
    Path passwordFile;

    @Option(names = {"-s", "--server"}, paramLabel = "HOST:PORT", defaultValue = "${env:POUCH_SERVER:-127.0.0.1:7443}",
            description = "The exchange to connect to. Default: $POUCH_SERVER or ${DEFAULT-VALUE}.")
    String server;

    @Option(names = "--api", paramLabel = "URL", defaultValue = "${env:POUCH_API}",
            description = "The exchange's HTTPS address for surveys, batches and statistics."
                    + " Default: $POUCH_API, else https://<server host>:8443.")
    String api;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for the exchange before giving up (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** Reads and checks the credentials (clear errors for a missing file, a wrong password, an expired certificate). */
    public Credentials credentials() {
        if (credentials == null) {
            throw new ClientException(ClientException.Kind.CREDENTIALS,
                    "no credentials given: use --credentials FILE.p12 or set POUCH_CREDENTIALS");
        }
        return ExchangeClient.readCredentials(credentials, password(credentials, passwordFile));
    }

    /** The password for {@code p12}: the given file, $POUCH_PASSWORD, the demo's file beside it, or the terminal. */
    static Password password(Path p12, Path passwordFile) {
        if (passwordFile != null) {
            if (!Files.isReadable(passwordFile)) {
                throw new ClientException(ClientException.Kind.CREDENTIALS, "no password file at " + passwordFile);
            }
            return Password.fromFile(passwordFile);
        }
        String env = System.getenv("POUCH_PASSWORD");
        if (env != null && !env.isEmpty()) {
            return Password.of(env);
        }
        String name = p12.getFileName().toString();
        Path beside = p12.resolveSibling((name.endsWith(".p12") ? name.substring(0, name.length() - 4) : name) + ".password");
        if (Files.isReadable(beside)) {
            return Password.fromFile(beside);
        }
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("Password for %s: ", name);
            if (typed != null) {
                return Password.of(typed);
            }
        }
        throw new ClientException(ClientException.Kind.CREDENTIALS, "no password for " + name
                + ": use --password-file FILE or set POUCH_PASSWORD");
    }

    public String host() {
        int colon = server.lastIndexOf(':');
        return colon < 0 ? server : server.substring(0, colon);
    }

    public int port() {
        int colon = server.lastIndexOf(':');
        if (colon < 0) {
            return 7443;
        }
        try {
            return Integer.parseInt(server.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "'" + server + "' is not HOST:PORT");
        }
    }

    /** The exchange's REST interface, with the staff certificate as client certificate. */
    public ExchangeApi api() {
        String url = api != null && !api.isBlank() ? api : "https://" + host() + ":8443";
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "'" + url + "' is not a URL");
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "'" + url + "' is not an https:// URL");
        }
        return new ExchangeApi(uri, credentials(), timeout());
    }

    public Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    /**
     * A client for a command run by a person: it takes no deliveries (those go to the office's
     * agent, {@code pouch sync}), and fails fast when the exchange cannot be reached.
     */
    public ExchangeClient connect(Path store) {
        return connect(store, false);
    }

    /** A client that, if {@code takesDeliveries}, receives the organization's documents into {@code store}. */
    public ExchangeClient connect(Path store, boolean takesDeliveries) {
        ExchangeClient.Builder b = ExchangeClient.builder().credentials(credentials()).server(host(), port())
                .timeout(timeout()).takesDeliveries(takesDeliveries);
        if (store != null) {
            b.store(store);
        }
        ExchangeClient client = b.build();
        try {
            return client.awaitConnected();
        } catch (RuntimeException e) {
            client.close();
            throw new ClientException(ClientException.Kind.UNREACHABLE, "cannot reach the exchange at " + server
                    + " (is it running?)", e);
        }
    }
}
