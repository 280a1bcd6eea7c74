package dev.pouch.protocol.transport;

import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The TLS behaviour on OpenSSL (BoringSSL, bundled by Netty), the engine used wherever it loads. */
class OpenSslTlsIT extends TlsBehaviour {

    @BeforeAll
    static void requireOpenSsl() {
        assumeTrue(TlsEngine.openSslUsable(), "OpenSSL does not load on this platform");
    }

    @Override
    TlsEngine engine() {
        return TlsEngine.OPENSSL;
    }
}
