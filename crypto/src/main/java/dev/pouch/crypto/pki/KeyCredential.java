package dev.pouch.crypto.pki;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.internal.EcKeys;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate chain (leaf first). Built only through {@link #of}, which
 * checks that the key belongs to the certificate.
 *
 * <p>Security guarantees: {@link #toString()} names the certificate, never the key; equality is
 * by certificate chain, never by key material.
 */
public final class KeyCredential {

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;
    private final Identity identity;

    private KeyCredential(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = privateKey;
        this.chain = chain;
        this.identity = Identity.of(chain.get(0));
    }

    /** Pairs a key with its chain; throws {@code INVALID_REQUEST} if they do not belong together. */
    public static KeyCredential of(PrivateKey privateKey, List<X509Certificate> chain) {
        Objects.requireNonNull(privateKey, "privateKey");
        List<X509Certificate> copy = List.copyOf(chain);
        if (copy.isEmpty()) {
            throw new CryptoException(CryptoError.INVALID_REQUEST, "a credential needs its certificate");
        }
        if (!EcKeys.matches(privateKey, copy.get(0).getPublicKey())) {
            throw new CryptoException(CryptoError.INVALID_REQUEST,
                    "the private key does not belong to certificate " + copy.get(0).getSubjectX500Principal());
        }
        return new KeyCredential(privateKey, copy);
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The end-entity certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Leaf first; may end with the root. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The identity named by the certificate. */
    public Identity identity() {
        return identity;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyCredential other && chain.equals(other.chain);
    }

    @Override
    public int hashCode() {
        return chain.hashCode();
    }

    @Override
    public String toString() {
        return "KeyCredential[" + certificate().getSubjectX500Principal().getName() + ", key=[REDACTED]]";
    }
}
