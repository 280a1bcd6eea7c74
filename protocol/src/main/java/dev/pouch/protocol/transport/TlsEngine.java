package dev.pouch.protocol.transport;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * Which TLS implementation carries connections. Both are configured identically (TLS 1.3 only,
 * client certificate required, the exchange trust manager); OpenSSL (BoringSSL, bundled by Netty)
 * is several times faster at bulk encryption than the JDK's engine.
 */
public enum TlsEngine {
    /** OpenSSL when it loads and speaks TLS 1.3, otherwise the JDK. */
    AUTO,
    JDK,
    OPENSSL;

    /** The engine named by the system property {@code pouch.tls.engine}, AUTO by default. */
    public static TlsEngine fromSystemProperty() {
        return valueOf(System.getProperty("pouch.tls.engine", "AUTO").toUpperCase(java.util.Locale.ROOT));
    }

    SslProvider provider() {
        return switch (this) {
            case JDK -> SslProvider.JDK;
            case OPENSSL -> {
                if (!openSslUsable()) {
                    throw new IllegalStateException("OpenSSL was requested but does not load here: " + OpenSsl.unavailabilityCause());
                }
                yield SslProvider.OPENSSL;
            }
            case AUTO -> openSslUsable() ? SslProvider.OPENSSL : SslProvider.JDK;
        };
    }

    static boolean openSslUsable() {
        try {
            return OpenSsl.isAvailable() && SslProvider.isTlsv13Supported(SslProvider.OPENSSL);
        } catch (Throwable e) {
            return false;
        }
    }
}
