package dev.pouch.crypto.pki;

import dev.pouch.crypto.ValidationTime;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Decides whether a certificate may be used for a purpose at a time.
 *
 * <p>Security guarantees: a full PKIX path check to a trusted exchange authority (signatures,
 * validity at the validation time, basic constraints, CA key usage), revocation from the
 * authority's current CRL, the end-entity key usage and extended key usage the
 * {@link CertificateUsage} requires, a P-256 key, and exactly one Pouch identity of an allowed kind.
 * A failing check throws {@code CryptoException}; there is no boolean to forget.
 */
public interface CertificateValidator {

    /**
     * Validates {@code chain} (end-entity first, then any intermediates; the anchor may be
     * included or omitted).
     */
    ValidatedCertificate validate(List<X509Certificate> chain, CertificateUsage usage, ValidationTime at);

    /** Validates a certificate issued directly by a trusted authority. */
    default ValidatedCertificate validate(X509Certificate certificate, CertificateUsage usage, ValidationTime at) {
        return validate(List.of(certificate), usage, at);
    }
}
