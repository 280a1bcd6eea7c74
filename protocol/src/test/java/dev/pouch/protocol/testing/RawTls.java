package dev.pouch.protocol.testing;

import dev.pouch.crypto.pki.KeyCredential;

import java.io.IOException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A deliberately unlike-Pouch TLS client built on the JDK alone, to knock on the server's door with
 * the wrong protocol version or the wrong (or no) certificate.
 */
public final class RawTls {

    private RawTls() {
    }

    /** Opens a TLS socket and completes the handshake; throws if the server refuses. */
    public static SSLSocket handshake(int port, String protocol, KeyCredential clientKey) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        KeyManagerFactory kmf = null;
        if (clientKey != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("k", clientKey.privateKey(), new char[0], clientKey.chain().toArray(X509Certificate[]::new));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
        }
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), new TrustManager[] {new TrustAll()}, new SecureRandom());
        SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.setEnabledProtocols(new String[] {protocol});
        socket.startHandshake();
        // In TLS 1.3 the server's verdict on the client certificate arrives after the client's
        // Finished: read to see it.
        socket.getOutputStream().write(new byte[] {0, 0, 0, 0});
        socket.getOutputStream().flush();
        if (socket.getInputStream().read() < 0) {
            throw new IOException("the server closed the connection");
        }
        return socket;
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
