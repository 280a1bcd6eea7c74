package dev.pouch.protocol.transport;

import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.pki.PkixCertificateValidator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * TLS for the exchange: TLS 1.3 only, a client certificate always required, both peers judged by
 * {@link ExchangeTrustManager}.
 */
public final class TlsContexts {

    public static final String TLS_1_3 = "TLSv1.3";

    private TlsContexts() {
    }

    /** The server side, presenting an exchange node certificate. */
    public static SslContext server(KeyCredential node, PkixCertificateValidator validator, TlsEngine engine) {
        try {
            return SslContextBuilder.forServer(node.privateKey(), node.chain().toArray(X509Certificate[]::new))
                    .sslProvider(engine.provider())
                    .protocols(TLS_1_3)
                    .clientAuth(ClientAuth.REQUIRE)
                    .trustManager(new ExchangeTrustManager(validator))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the server TLS context", e);
        }
    }

    /** The client side, presenting a staff member's (or node's) TLS certificate. */
    public static SslContext client(KeyCredential tls, PkixCertificateValidator validator, TlsEngine engine) {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(engine.provider())
                    .protocols(TLS_1_3)
                    .keyManager(tls.privateKey(), tls.chain().toArray(X509Certificate[]::new))
                    .trustManager(new ExchangeTrustManager(validator))
                    .endpointIdentificationAlgorithm(null)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the client TLS context", e);
        }
    }
}
