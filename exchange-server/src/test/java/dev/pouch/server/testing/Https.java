package dev.pouch.server.testing;

import dev.pouch.crypto.pki.KeyCredential;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;

/** The server's REST API over HTTPS, as a staff member (client certificate) or anonymously. */
public final class Https {

    /** A response: HTTP status and JSON body. */
    public record Response(int status, JsonNode json, String body) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final char[] NONE = new char[0];

    private final HttpClient client;
    private final String base;

    private Https(HttpClient client, int port) {
        this.client = client;
        this.base = "https://127.0.0.1:" + port;
    }

    /** Signs in with {@code tls} (may be null: no client certificate), trusting only {@code root}. */
    public static Https as(KeyCredential tls, X509Certificate root, int port) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("root", root);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            if (tls != null) {
                keys.setKeyEntry("tls", tls.privateKey(), NONE, tls.chain().toArray(Certificate[]::new));
            }
            kmf.init(keys, NONE);
            SSLContext ssl = SSLContext.getInstance("TLSv1.3");
            ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            SSLParameters params = new SSLParameters();
            params.setProtocols(new String[] {"TLSv1.3"});
            return new Https(HttpClient.newBuilder().sslContext(ssl).sslParameters(params)
                    .connectTimeout(Duration.ofSeconds(10)).build(), port);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** GET with an Accept header (e.g. {@code text/csv}). */
    public Response get(String path, String accept) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept).GET());
    }

    /** The response headers of a GET, e.g. its content type. */
    public java.net.http.HttpHeaders headers(String path, String accept) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept).GET()
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.discarding()).headers();
        } catch (IOException e) {
            throw new IllegalStateException("HTTPS request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = r.body().isBlank() ? null : JSON.readTree(r.body());
            } catch (RuntimeException notJson) {
                // e.g. a servlet container's HTML page; the body is kept as text
            }
            return new Response(r.statusCode(), json, r.body());
        } catch (IOException e) {
            throw new IllegalStateException("HTTPS request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** JSON string literal. */
    public static String quote(String s) {
        return JSON.writeValueAsString(s);
    }
}
