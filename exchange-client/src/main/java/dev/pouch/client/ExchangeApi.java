package dev.pouch.client;

import dev.pouch.crypto.pki.CredentialRole;
import dev.pouch.crypto.pki.Credentials;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.protocol.ErrorCode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The exchange's REST interface (HTTPS, TLS 1.3, the staff certificate as client certificate):
 * what is managed rather than carried — surveys, batches, statistics. Documents themselves always
 * travel over the exchange protocol ({@link ExchangeClient}).
 *
 * <p>Every refusal arrives as the same JSON the server sends for every REST error (code, name,
 * message) and is thrown as a {@link ClientException} of kind {@code REFUSED} with that code.
 */
public final class ExchangeApi {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    public ExchangeApi(URI base, Credentials credentials, Duration timeout) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.timeout = timeout;
        SSLParameters tls = new SSLParameters();
        tls.setProtocols(new String[] {"TLSv1.3"});
        this.http = HttpClient.newBuilder().sslContext(sslContext(credentials)).sslParameters(tls)
                .connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** The staff certificate and key as client credentials; the exchange's root as the only trust anchor. */
    private static SSLContext sslContext(Credentials credentials) {
        try {
            KeyCredential staff = credentials.require(CredentialRole.TLS);
            char[] password = UUID.randomUUID().toString().toCharArray(); // an in-memory store only
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("staff", staff.privateKey(), password, staff.chain().toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate anchor : credentials.trustAnchors()) {
                trust.setCertificateEntry("anchor-" + i++, anchor);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new ClientException(ClientException.Kind.CREDENTIALS, "cannot use the credentials for HTTPS: " + e.getMessage(), e);
        }
    }

    public URI base() {
        return base;
    }

    /** GET a JSON resource. */
    public JsonNode get(String path) {
        return json(send(request(path).GET().header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** POST {@code body} (any value Jackson writes; null for none) and read the JSON answer. */
    public JsonNode post(String path, Object body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        return json(send(request(path).POST(publisher).header("Content-Type", "application/json")
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** GET text (e.g. CSV). */
    public String text(String path, String accept) {
        HttpResponse<InputStream> response = send(request(path).GET().header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /**
     * GET a file into {@code target}, written beside it first and moved into place only when
     * complete, so an interrupted download never leaves a half file under the final name.
     */
    public Path download(String path, Path target) {
        Path dir = Optional.ofNullable(target.toAbsolutePath().getParent()).orElse(Path.of("."));
        Path partial = dir.resolve("." + target.getFileName() + ".partial-" + UUID.randomUUID());
        try {
            HttpResponse<InputStream> response = send(request(path).GET().header("Accept", "*/*").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                Files.copy(in, partial);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // best effort: a stray partial file is harmless
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path)).timeout(timeout);
    }

    /** Sends, and turns a refusal into a ClientException with the server's code and sentence. */
    private HttpResponse<InputStream> send(HttpRequest request, HttpResponse.BodyHandler<InputStream> handler) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, handler);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new ClientException(ClientException.Kind.UNREACHABLE, "cannot reach the exchange at " + base
                    + " (is it running?)", e);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ClientException.Kind.UNREACHABLE, "interrupted", e);
        }
        if (response.statusCode() / 100 == 2) {
            return response;
        }
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            body = "";
        }
        throw refusal(response.statusCode(), body);
    }

    static ClientException refusal(int status, String body) {
        try {
            JsonNode error = JSON.readTree(body);
            int code = error.path("code").asInt(0);
            Optional<ErrorCode> known = ErrorCode.fromCode(code);
            String message = error.path("message").asString("");
            if (known.isPresent()) {
                return new ClientException(ClientException.Kind.REFUSED, known.get(), message.isEmpty() ? known.get().message() : message, null);
            }
        } catch (RuntimeException notJson) {
            // fall through: not the exchange's error shape
        }
        return new ClientException(ClientException.Kind.REFUSED, ErrorCode.INTERNAL_ERROR,
                "the exchange answered HTTP " + status + (body.isBlank() ? "" : ": " + body.strip()), null);
    }

    private ClientException unreachable(IOException e) {
        String what = e instanceof HttpTimeoutException ? "did not answer within " + timeout.toSeconds() + " s" : e.toString();
        return new ClientException(ClientException.Kind.UNREACHABLE, "the exchange at " + base + " " + what, e);
    }

    private static JsonNode json(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return JSON.readTree(in);
        } catch (IOException | RuntimeException e) {
            throw new ClientException(ClientException.Kind.REFUSED, ErrorCode.INTERNAL_ERROR,
                    "the exchange's answer is not JSON: " + e.getMessage(), e);
        }
    }
}
