package dev.pouch.client.bench;

import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.pki.Pem;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The exchange's administration API over HTTPS, as an administrator (client certificate): creating
 * staff and certifying keys, and reading the server's own metrics (heap, timers).
 */
final class AdminApi {

    private static final char[] NONE = new char[0];

    private final HttpClient client;
    private final String base;

    AdminApi(KeyCredential adminTls, X509Certificate root, String host, int port) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("root", root);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("tls", adminTls.privateKey(), NONE, adminTls.chain().toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, NONE);
            SSLContext ssl = SSLContext.getInstance("TLSv1.3");
            ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            SSLParameters params = new SSLParameters();
            params.setProtocols(new String[] {"TLSv1.3"});
            this.client = HttpClient.newBuilder().sslContext(ssl).sslParameters(params).connectTimeout(Duration.ofSeconds(10)).build();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS for the administration API: " + e.getMessage(), e);
        }
        this.base = "https://" + host + ":" + port;
    }

    /** Creates (or updates) a staff member with the given roles and INTERNAL clearance. */
    void saveStaff(String organization, String staffId, String displayName, List<String> roles) {
        post("/api/admin/staff", "{\"organization\":" + BenchJson.quote(organization) + ",\"staffId\":" + BenchJson.quote(staffId)
                + ",\"displayName\":" + BenchJson.quote(displayName) + ",\"roles\":["
                + roles.stream().map(BenchJson::quote).collect(Collectors.joining(",")) + "],\"clearance\":\"INTERNAL\"}");
    }

    /** Certifies a staff member's TLS key; returns the chain, leaf first. */
    List<X509Certificate> certifyStaff(String organization, String staffId, PublicKey key) {
        return chain(post("/api/admin/staff/" + organization + "/" + staffId + "/certificates",
                "{\"publicKeyPem\":" + BenchJson.quote(Pem.publicKey(key)) + "}"));
    }

    /** Certifies an organization's signing or key-agreement key ({@code SIGNING}, {@code KEY_AGREEMENT}). */
    List<X509Certificate> certifyOrganization(String organization, String purpose, PublicKey key) {
        return chain(post("/api/admin/organizations/" + organization + "/certificates",
                "{\"purpose\":" + BenchJson.quote(purpose) + ",\"publicKeyPem\":" + BenchJson.quote(Pem.publicKey(key)) + "}"));
    }

    /** An actuator metric's JSON, if the server exports it ({@code tag} like {@code area:heap}, or null). */
    Optional<String> metric(String name, String tag) {
        String path = "/actuator/metrics/" + name + (tag == null ? "" : "?tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static List<X509Certificate> chain(String json) {
        String pem = BenchJson.stringField(json, "chainPem").or(() -> BenchJson.stringField(json, "certificatePem"))
                .orElseThrow(() -> new IllegalStateException("the exchange answered without a certificate: " + json));
        return Pem.readCertificates(pem);
    }

    private String post(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("POST " + base + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
