package dev.pouch.protocol.transport;

import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.pki.CertificateUsage;
import dev.pouch.crypto.pki.PkixCertificateValidator;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Decides TLS peers with the crypto module's validator: full PKIX path to the exchange root, the
 * current CRL (so a revocation takes effect at the next handshake), the right key usage and a Pouch
 * identity. Host names are not checked: any node certificate of the exchange authority is a node.
 */
final class ExchangeTrustManager extends X509ExtendedTrustManager {

    private final PkixCertificateValidator validator;

    ExchangeTrustManager(PkixCertificateValidator validator) {
        this.validator = validator;
    }

    private void check(X509Certificate[] chain, CertificateUsage usage) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no certificate presented");
        }
        try {
            if (usage == CertificateUsage.TLS_SERVER) {
                // A client may hold no current CRL yet (first start, a week offline): the exchange
                // sends one in its welcome, and ExchangeConnection checks this chain again with it
                // before the session is used. A current CRL that lists the node still refuses it here.
                validator.validateDeferringRevocation(Arrays.asList(chain), usage, ValidationTime.now());
                return;
            }
            validator.validate(Arrays.asList(chain), usage, ValidationTime.now());
        } catch (CryptoException e) {
            throw new CertificateException(e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, CertificateUsage.TLS_CLIENT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, CertificateUsage.TLS_SERVER);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, CertificateUsage.TLS_CLIENT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, CertificateUsage.TLS_SERVER);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, CertificateUsage.TLS_CLIENT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, CertificateUsage.TLS_SERVER);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return validator.trustStore().anchors().toArray(X509Certificate[]::new);
    }
}
