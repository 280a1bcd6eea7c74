package dev.pouch.server.web;

import dev.pouch.server.pki.ExchangePki;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.UUID;

/**
 * HTTPS with this node's exchange certificate (bundle {@code pouch-node}), TLS 1.3 only. Client
 * certificates are asked for but not required; REST calls that need one check it themselves with
 * the exchange validator (revocation included).
 */
@Configuration(proxyBeanMethods = false)
class WebTlsConfiguration {

    static final String BUNDLE = "pouch-node";

    @Bean
    SslBundleRegistrar pouchNodeBundle(ExchangePki pki) {
        return registry -> {
            try {
                String password = UUID.randomUUID().toString(); // in-memory store only
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("node", pki.nodeTls().privateKey(), password.toCharArray(),
                        pki.nodeTls().chain().toArray(X509Certificate[]::new));
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("exchange-root", pki.root());
                registry.registerBundle(BUNDLE, SslBundle.of(SslStoreBundle.of(keys, password, trust),
                        SslBundleKey.of(password, "node"), SslOptions.of(null, Set.of("TLSv1.3"))));
            } catch (Exception e) {
                throw new IllegalStateException("cannot build the HTTPS key store", e);
            }
        };
    }
}
