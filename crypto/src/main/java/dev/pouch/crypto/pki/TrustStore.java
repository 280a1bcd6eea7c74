package dev.pouch.crypto.pki;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The exchange authorities a validator trusts, and the newest revocation list of each.
 *
 * <p>Security guarantees: a CRL is accepted only if an anchor signed it, and never replaces one
 * with a higher CRL number, so an attacker cannot roll revocations back by replaying an old list.
 * Updates are visible to every validator sharing the store on its next call.
 */
public final class TrustStore {

    private final List<X509Certificate> anchors;
    private final Set<TrustAnchor> trustAnchors;
    private final Map<javax.security.auth.x500.X500Principal, X509CRL> crls = new ConcurrentHashMap<>();

    private TrustStore(List<X509Certificate> anchors) {
        this.anchors = List.copyOf(anchors);
        this.trustAnchors = this.anchors.stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toUnmodifiableSet());
    }

    /** Trusts the given authority certificates. */
    public static TrustStore of(Collection<X509Certificate> anchors) {
        if (anchors.isEmpty()) {
            throw new CryptoException(CryptoError.INVALID_REQUEST, "a trust store needs at least one authority");
        }
        for (X509Certificate anchor : anchors) {
            if (anchor.getBasicConstraints() < 0) {
                throw new CryptoException(CryptoError.INVALID_REQUEST,
                        "not a CA certificate: " + anchor.getSubjectX500Principal());
            }
        }
        return new TrustStore(List.copyOf(anchors));
    }

    public List<X509Certificate> anchors() {
        return anchors;
    }

    Set<TrustAnchor> trustAnchors() {
        return trustAnchors;
    }

    /**
     * Installs a CRL if a trusted authority signed it and it is newer than the one held.
     *
     * @return true if the store now uses this CRL
     */
    public synchronized boolean update(X509CRL crl) {
        X509Certificate issuer = anchors.stream()
                .filter(a -> a.getSubjectX500Principal().equals(crl.getIssuerX500Principal()))
                .filter(a -> verifies(crl, a))
                .findFirst()
                .orElseThrow(() -> new CryptoException(CryptoError.CERTIFICATE_UNTRUSTED,
                        "CRL not signed by a trusted authority: " + crl.getIssuerX500Principal()));
        X509CRL current = crls.get(issuer.getSubjectX500Principal());
        if (current != null && crlNumber(current).compareTo(crlNumber(crl)) >= 0) {
            return current.equals(crl);
        }
        crls.put(issuer.getSubjectX500Principal(), crl);
        return true;
    }

    /** The newest CRL installed for {@code issuer}. */
    public Optional<X509CRL> crlFor(javax.security.auth.x500.X500Principal issuer) {
        return Optional.ofNullable(crls.get(issuer));
    }

    /** The CRL number extension; a CRL without one counts as number -1. */
    public static BigInteger crlNumber(X509CRL crl) {
        byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
        if (ext == null) {
            return BigInteger.ONE.negate();
        }
        try {
            return ASN1Integer.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getValue();
        } catch (RuntimeException e) {
            throw new CryptoException(CryptoError.MALFORMED, "unreadable CRL number", e);
        }
    }

    private static boolean verifies(X509CRL crl, X509Certificate issuer) {
        try {
            crl.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
