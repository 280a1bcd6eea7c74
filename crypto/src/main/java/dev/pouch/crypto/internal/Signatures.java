package dev.pouch.crypto.internal;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.pki.Certificates;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ECDSA-with-SHA256 verification on Bouncy Castle, with each signer's public key converted once:
 * Bouncy Castle keeps its precomputation on the key's point, so later verifications with the same
 * signer are cheaper.
 */
public final class Signatures {

    private static final int MAX_CACHED_KEYS = 8192;
    private static final Map<String, PublicKey> KEYS = new ConcurrentHashMap<>();

    private Signatures() {
    }

    /** True when {@code signature} is a valid ECDSA signature over {@code data} by {@code certificate}'s key. */
    public static boolean verify(X509Certificate certificate, byte[] data, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA", Bc.PROVIDER);
            verifier.initVerify(publicKey(certificate));
            verifier.update(data);
            return verifier.verify(signature);
        } catch (java.security.SignatureException e) {
            return false; // malformed signature value
        } catch (GeneralSecurityException e) {
            throw new CryptoException(CryptoError.UNSUPPORTED_ALGORITHM, "cannot verify with this key: " + e.getMessage(), e);
        }
    }

    private static PublicKey publicKey(X509Certificate certificate) throws GeneralSecurityException {
        String key = Certificates.fingerprint(certificate);
        PublicKey cached = KEYS.get(key);
        if (cached == null) {
            EcKeys.pointBytes(certificate.getPublicKey()); // P-256 only
            cached = KeyFactory.getInstance("EC", Bc.PROVIDER)
                    .generatePublic(new X509EncodedKeySpec(certificate.getPublicKey().getEncoded()));
            if (KEYS.size() >= MAX_CACHED_KEYS) {
                KEYS.clear();
            }
            KEYS.put(key, cached);
        }
        return cached;
    }
}
