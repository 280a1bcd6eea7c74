package dev.pouch.server.web.console;

import dev.pouch.crypto.pki.KeyCredential;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-like HTTPS client of the web console for tests: its own cookie jar, an optional client
 * certificate, redirects not followed (tests look at them), and the anti-forgery token of the last
 * page it read.
 */
final class ConsoleClient {

    /** A response: status, body and the Location of a redirect. */
    record Page(int status, String body, String location, java.net.http.HttpHeaders headers) {
        /** The refusal code an error page shows, or -1. */
        int errorCode() {
            Matcher m = Pattern.compile("id=\"error-code\">(\\d+)<").matcher(body);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }
    }

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final HttpClient client;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final String base;
    private String csrf;

    private ConsoleClient(SSLContext ssl, int port) {
        SSLParameters params = new SSLParameters();
        params.setProtocols(new String[] {"TLSv1.3"});
        this.client = HttpClient.newBuilder().sslContext(ssl).sslParameters(params).cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        this.base = "https://127.0.0.1:" + port;
    }

    /** A client presenting {@code tls} (null: no certificate), trusting only {@code root}. */
    static ConsoleClient of(KeyCredential tls, X509Certificate root, int port) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("root", root);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            if (tls != null) {
                keys.setKeyEntry("tls", tls.privateKey(), new char[0], tls.chain().toArray(Certificate[]::new));
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
            SSLContext ssl = SSLContext.getInstance("TLSv1.3");
            ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return new ConsoleClient(ssl, port);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Page get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** POSTs a form with this session's anti-forgery token. */
    Page post(String path, String... fields) {
        Map<String, String> form = form(fields);
        form.put("_csrf", csrf == null ? "" : csrf);
        return postRaw(path, form);
    }

    /** POSTs a form exactly as given: no token unless the fields carry one. */
    Page postWithoutToken(String path, String... fields) {
        return postRaw(path, form(fields));
    }

    Page postRaw(String path, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Signs in with the client certificate; the session's token is then read from the inbox. */
    Page signInWithCertificate() {
        get("/console/signin");
        Page p = post("/console/signin/certificate");
        if (p.status() == 302) {
            get("/console/inbox");
        }
        return p;
    }

    Page signInWithPassword(String organization, String staffId, String password) {
        get("/console/signin");
        Page p = post("/console/signin", "organization", organization, "staffId", staffId, "password", password);
        if (p.status() == 302) {
            get("/console/inbox");
        }
        return p;
    }

    String csrf() {
        return csrf;
    }

    private Page send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Matcher m = CSRF.matcher(r.body());
            if (m.find()) {
                csrf = m.group(1);
            }
            return new Page(r.statusCode(), r.body(), r.headers().firstValue("Location").orElse(null), r.headers());
        } catch (IOException e) {
            throw new IllegalStateException("HTTPS request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String... fields) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            form.put(fields[i], fields[i + 1]);
        }
        return form;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
